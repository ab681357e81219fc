namespace SquadAlbert.Analysis.Review;

/// <summary>A piece of a context excerpt: text with its gold/prediction marks.</summary>
public sealed record ExcerptPiece(string Text, bool InGold, bool InPrediction)
{
    public bool IsOverlap => InGold && InPrediction;
}

/// <summary>The part of a context around the gold and predicted spans, cut into pieces at the span edges, with "…" where text
/// was left out — what a review queue shows instead of the whole paragraph.</summary>
public static class ContextExcerpt
{
    public const string Ellipsis = "…";

    /// <param name="gold">Gold spans [start, end) in UTF-16 units of <paramref name="context"/>.</param>
    /// <param name="prediction">The predicted span; an empty one is ignored.</param>
    /// <param name="margin">Characters kept before the first and after the last span edge.</param>
    public static IReadOnlyList<ExcerptPiece> Around(string context, IReadOnlyList<(int Start, int End)> gold, (int Start, int End) prediction, int margin)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        var spans = gold.Select(g => Clip(g, context.Length)).Where(g => g.End > g.Start).ToList();
        var predicted = Clip(prediction, context.Length);
        var all = predicted.End > predicted.Start ? spans.Append(predicted).ToList() : spans;
        if (all.Count == 0)
        {
            return [new ExcerptPiece(context.Length > 2 * margin ? context[..(2 * margin)] + Ellipsis : context, false, false)];
        }
        var from = AvoidSurrogateSplit(context, Math.Max(0, all.Min(s => s.Start) - margin));
        var to = AvoidSurrogateSplit(context, Math.Min(context.Length, all.Max(s => s.End) + margin));
        var edges = new SortedSet<int> { from, to };
        foreach (var span in all)
        {
            edges.Add(Math.Clamp(span.Start, from, to));
            edges.Add(Math.Clamp(span.End, from, to));
        }
        var pieces = new List<ExcerptPiece>();
        if (from > 0)
        {
            pieces.Add(new ExcerptPiece(Ellipsis, false, false));
        }
        var ordered = edges.ToList();
        for (var i = 0; i + 1 < ordered.Count; i++)
        {
            var (start, end) = (ordered[i], ordered[i + 1]);
            pieces.Add(new ExcerptPiece(
                context[start..end], spans.Any(g => g.Start < end && start < g.End), predicted.Start < end && start < predicted.End));
        }
        if (to < context.Length)
        {
            pieces.Add(new ExcerptPiece(Ellipsis, false, false));
        }
        return pieces;
    }

    private static (int Start, int End) Clip((int Start, int End) span, int length) =>
        (Math.Clamp(span.Start, 0, length), Math.Clamp(span.End, 0, length));

    private static int AvoidSurrogateSplit(string text, int index) =>
        Data.SquadOffsets.SplitsSurrogatePair(text, index) ? index - 1 : index;
}
