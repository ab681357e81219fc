using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Training.Training;

/// <summary>One pre-training sequence: <c>[CLS] first [SEP] second [SEP]</c> with segment ids 0 then 1;
/// <see cref="SentenceOrder"/> is 1 when the two halves of the text were swapped.</summary>
public sealed record PretrainingExample(int[] InputIds, int[] TokenTypeIds, int SentenceOrder)
{
    public int Length => InputIds.Length;
}

/// <summary>
/// ALBERT's pre-training inputs from plain texts (SQuAD's training contexts): each text is tokenized and cut into
/// chunks of at most <c>maxLength − 3</c> tokens; each chunk is split in two at a point drawn between a quarter and
/// three quarters of it, and for half of the chunks the halves are swapped (sentence-order prediction). Pure
/// function of (texts, tokenizer, maxLength, seed).
/// </summary>
public static class PretrainingCorpus
{
    /// <summary>Chunks shorter than this carry too little order signal and are dropped.</summary>
    public const int MinimumChunkTokens = 8;

    public static IReadOnlyList<PretrainingExample> Build(IEnumerable<string> texts, ISubwordTokenizer tokenizer, int maxLength, int seed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinimumChunkTokens + 3);
        var random = new Random(seed);
        var examples = new List<PretrainingExample>();
        var chunkSize = maxLength - 3;
        foreach (var text in texts)
        {
            var ids = tokenizer.Tokenize(text).Ids;
            for (var start = 0; start < ids.Length; start += chunkSize)
            {
                var chunk = ids.AsSpan(start, Math.Min(chunkSize, ids.Length - start));
                if (chunk.Length < MinimumChunkTokens)
                {
                    continue;
                }
                var split = random.Next(chunk.Length / 4, (3 * chunk.Length / 4) + 1);
                var swapped = random.Next(2) == 1;
                var first = swapped ? chunk[split..] : chunk[..split];
                var second = swapped ? chunk[..split] : chunk[split..];
                examples.Add(Pair(first, second, tokenizer.ClsId, tokenizer.SepId, swapped ? 1 : 0));
            }
        }
        return examples;
    }

    private static PretrainingExample Pair(ReadOnlySpan<int> first, ReadOnlySpan<int> second, int cls, int sep, int order)
    {
        var length = first.Length + second.Length + 3;
        var ids = new int[length];
        var types = new int[length];
        ids[0] = cls;
        first.CopyTo(ids.AsSpan(1));
        ids[first.Length + 1] = sep;
        second.CopyTo(ids.AsSpan(first.Length + 2));
        ids[^1] = sep;
        types.AsSpan(first.Length + 2).Fill(1);
        return new PretrainingExample(ids, types, order);
    }
}
