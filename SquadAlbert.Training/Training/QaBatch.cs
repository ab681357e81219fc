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

    /// <summary>Pads with id 0 (ALBERT's &lt;pad&gt;), token type 0 and mask 0; the tensors live on
    /// <paramref name="device"/> (the CPU when null).</summary>
    public static QaBatch Create(IReadOnlyList<QaWindow> windows, Device? device = null)
    {
        var padded = PaddedWindows.Pad(windows);
        var shape = padded.Shape;
        return new QaBatch(
            tensor(padded.InputIds, shape, device: device), tensor(padded.TokenTypeIds, shape, device: device),
            tensor(padded.AttentionMask, shape, device: device),
            tensor(windows.Select(w => (long)w.GoldStart).ToArray(), device: device),
            tensor(windows.Select(w => (long)w.GoldEnd).ToArray(), device: device));
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
