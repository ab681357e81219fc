using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Metadata;

/// <summary>How a predicted answer relates to a gold answer.</summary>
public enum SpanRelationKind
{
    /// <summary>The same text, character for character.</summary>
    Exact,
    /// <summary>Different text that the official normalisation (case, punctuation, articles, spaces) makes equal.</summary>
    NormalizationOnly,
    /// <summary>Not equal after normalisation, but the character spans share at least one character.</summary>
    Overlap,
    /// <summary>No shared character (an empty prediction is disjoint from everything).</summary>
    Disjoint,
}

/// <param name="CharDistance">Characters between the spans in the context: 0 when they touch or overlap; null when the
/// prediction is empty.</param>
public sealed record SpanRelation(SpanRelationKind Kind, int? CharDistance);

public static class AnswerRelation
{
    /// <summary>Relates a prediction to one gold answer, both given as text and as a span of the same context.</summary>
    public static SpanRelation Relate(string predicted, CharSpan predictedSpan, string gold, CharSpan goldSpan)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(gold);
        if (predictedSpan.Length == 0)
        {
            return new SpanRelation(SpanRelationKind.Disjoint, null);
        }
        var distance = Math.Max(0, Math.Max(predictedSpan.Start, goldSpan.Start) - Math.Min(predictedSpan.End, goldSpan.End));
        var overlaps = Math.Min(predictedSpan.End, goldSpan.End) > Math.Max(predictedSpan.Start, goldSpan.Start);
        var kind = string.Equals(predicted, gold, StringComparison.Ordinal) ? SpanRelationKind.Exact
            : OfficialSquadMetric.ExactMatch(predicted, gold) ? SpanRelationKind.NormalizationOnly
            : overlaps ? SpanRelationKind.Overlap
            : SpanRelationKind.Disjoint;
        return new SpanRelation(kind, distance);
    }

    /// <summary>The label stored in the database: "exact", "normalization only", "overlap", "disjoint".</summary>
    public static string Label(this SpanRelationKind kind) =>
        kind == SpanRelationKind.NormalizationOnly ? "normalization only" : kind.ToString().ToLowerInvariant();
}
