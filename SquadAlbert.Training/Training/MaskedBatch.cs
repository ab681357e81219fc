using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>Which tokens to mask and with what, as BERT/ALBERT do it.</summary>
/// <param name="Probability">Share of maskable tokens chosen for prediction (0.15).</param>
/// <param name="MaskId">Id of <c>[MASK]</c>: 80 % of chosen tokens become it, 10 % a random id, 10 % stay.</param>
/// <param name="FirstRandomId">Smallest id drawn as a random replacement (after the special pieces).</param>
/// <param name="VocabularySize">Random replacements are drawn below this.</param>
/// <param name="SpecialIds">Never masked (<c>[CLS]</c>, <c>[SEP]</c>, padding).</param>
public sealed record MaskingOptions(double Probability, int MaskId, int FirstRandomId, int VocabularySize, IReadOnlySet<int> SpecialIds);

/// <summary>Host-side arrays of a masked batch, padded to its longest sequence (row-major [rows, width]).</summary>
public sealed record MaskedArrays(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask, long[] MaskedPositions, long[] MaskedLabels, long[] SentenceOrder, int Rows, int Width);

/// <summary>
/// Dynamic masking: every step draws fresh masks from <c>Random(seed, step)</c>, so the same step of a resumed run
/// masks the same tokens. At least one token per sequence is masked.
/// </summary>
public static class MaskedBatch
{
    public static MaskedArrays Mask(IReadOnlyList<PretrainingExample> examples, MaskingOptions options, int seed, int step)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(unchecked((seed * 1_000_003) + step));
        var rows = examples.Count;
        var width = examples.Max(e => e.Length);
        var ids = new long[rows * width];
        var types = new long[rows * width];
        var attention = new long[rows * width];
        var positions = new List<long>();
        var labels = new List<long>();
        for (var r = 0; r < rows; r++)
        {
            var example = examples[r];
            var chosen = new List<int>();
            var candidates = new List<int>();
            for (var t = 0; t < example.Length; t++)
            {
                var at = (r * width) + t;
                ids[at] = example.InputIds[t];
                types[at] = example.TokenTypeIds[t];
                attention[at] = 1;
                if (options.SpecialIds.Contains(example.InputIds[t]))
                {
                    continue;
                }
                candidates.Add(t);
                if (random.NextDouble() < options.Probability)
                {
                    chosen.Add(t);
                }
            }
            if (chosen.Count == 0 && candidates.Count > 0)
            {
                chosen.Add(candidates[random.Next(candidates.Count)]);
            }
            foreach (var t in chosen)
            {
                var at = (r * width) + t;
                positions.Add(at);
                labels.Add(example.InputIds[t]);
                var roll = random.NextDouble();
                if (roll < 0.8)
                {
                    ids[at] = options.MaskId;
                }
                else if (roll < 0.9)
                {
                    ids[at] = random.Next(options.FirstRandomId, options.VocabularySize);
                }
            }
        }
        return new MaskedArrays(ids, types, attention, positions.ToArray(), labels.ToArray(),
            examples.Select(e => (long)e.SentenceOrder).ToArray(), rows, width);
    }

    /// <summary>The arrays as int64 tensors on <paramref name="device"/>.</summary>
    public static (Tensor InputIds, Tensor TokenTypeIds, Tensor AttentionMask, Tensor MaskedPositions, Tensor MaskedLabels, Tensor SentenceOrder)
        ToTensors(MaskedArrays arrays, Device device)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        long[] shape = [arrays.Rows, arrays.Width];
        return (tensor(arrays.InputIds, shape, device: device), tensor(arrays.TokenTypeIds, shape, device: device),
            tensor(arrays.AttentionMask, shape, device: device), tensor(arrays.MaskedPositions, device: device),
            tensor(arrays.MaskedLabels, device: device), tensor(arrays.SentenceOrder, device: device));
    }
}
