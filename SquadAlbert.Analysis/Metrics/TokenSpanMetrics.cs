namespace SquadAlbert.Analysis.Metrics;

/// <summary>A span of model-input tokens, both ends inclusive, as QA heads predict them. End before Start is an empty span.</summary>
public readonly record struct TokenSpan(int Start, int End)
{
    /// <summary>Number of tokens covered; 0 for an empty span.</summary>
    public int Length => Math.Max(0, End - Start + 1);
}

/// <summary>The losses of one QA prediction: cross-entropy of the start and of the end distribution, and their mean.</summary>
/// <param name="Start">−log p(gold start) under the start logits.</param>
/// <param name="End">−log p(gold end) under the end logits.</param>
/// <param name="Mean">(Start + End) / 2, the loss Hugging Face question-answering heads train on.</param>
public readonly record struct SpanLoss(double Start, double End, double Mean);

/// <summary>
/// Token-level span metrics of the reference analysis. These are NOT the official SQuAD metrics (see
/// <see cref="OfficialSquadMetric"/> for those): they compare token indices, not answer text, so they are blind
/// to normalization and sensitive to tokenization.
/// </summary>
public static class TokenSpanMetrics
{
    /// <summary>Same first and last token.</summary>
    public static bool ExactMatch(TokenSpan predicted, TokenSpan gold) => predicted == gold;

    /// <summary>F1 of the two spans seen as sets of token indices; 0 when they do not overlap.</summary>
    public static double F1(TokenSpan predicted, TokenSpan gold)
    {
        var overlap = Overlap(predicted, gold);
        if (overlap == 0)
        {
            return 0;
        }
        var precision = (double)overlap / predicted.Length;
        var recall = (double)overlap / gold.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>|predicted ∩ gold| / |predicted ∪ gold| over token indices; 0 when both spans are empty.</summary>
    public static double IntersectionOverUnion(TokenSpan predicted, TokenSpan gold)
    {
        var overlap = Overlap(predicted, gold);
        var union = predicted.Length + gold.Length - overlap;
        return union == 0 ? 0 : (double)overlap / union;
    }

    /// <summary>−log softmax(logits)[target], computed as logsumexp − logit so large logits cannot overflow.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is not an index of <paramref name="logits"/>.</exception>
    public static double CrossEntropy(ReadOnlySpan<float> logits, int target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, logits.Length);
        double max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }
        var sum = 0.0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }
        return max + Math.Log(sum) - logits[target];
    }

    /// <summary>The QA loss of one window: cross-entropy of the gold start under the start logits and of the gold
    /// end under the end logits. Unlike Hugging Face, gold positions outside the window are an error rather than ignored.</summary>
    public static SpanLoss Loss(ReadOnlySpan<float> startLogits, ReadOnlySpan<float> endLogits, TokenSpan gold)
    {
        var start = CrossEntropy(startLogits, gold.Start);
        var end = CrossEntropy(endLogits, gold.End);
        return new SpanLoss(start, end, (start + end) / 2);
    }

    private static int Overlap(TokenSpan a, TokenSpan b) =>
        a.Length == 0 || b.Length == 0 ? 0 : Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start) + 1);
}
