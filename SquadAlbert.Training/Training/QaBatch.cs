using SquadAlbert.Analysis.Text;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>Windows padded to the longest one in the batch; all tensors int64, [batch, seq] or [batch].</summary>
public sealed class QaBatch : IDisposable
{
    private QaBatch(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor startPositions, Tensor endPositions)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        StartPositions = startPositions;
        EndPositions = endPositions;
    }

    public Tensor InputIds { get; }
    public Tensor TokenTypeIds { get; }
    public Tensor AttentionMask { get; }
    public Tensor StartPositions { get; }
    public Tensor EndPositions { get; }

    /// <summary>Pads with id 0 (ALBERT's &lt;pad&gt;), token type 0 and mask 0.</summary>
    public static QaBatch Create(IReadOnlyList<QaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one window", nameof(windows));
        }
        var seq = windows.Max(w => w.Length);
        var ids = new long[windows.Count * seq];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        for (var b = 0; b < windows.Count; b++)
        {
            var window = windows[b];
            for (var t = 0; t < window.Length; t++)
            {
                ids[b * seq + t] = window.InputIds[t];
                types[b * seq + t] = window.TokenTypeIds[t];
                mask[b * seq + t] = 1;
            }
        }
        long[] shape = [windows.Count, seq];
        return new QaBatch(
            tensor(ids, shape), tensor(types, shape), tensor(mask, shape),
            tensor(windows.Select(w => (long)w.GoldStart).ToArray()),
            tensor(windows.Select(w => (long)w.GoldEnd).ToArray()));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask.Dispose();
        StartPositions.Dispose();
        EndPositions.Dispose();
    }
}
