namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>What a feature is evidence of: a wrong gold span, or a doubtful (ambiguous) one.</summary>
public enum LabelEvidence
{
    /// <summary>The model or the question's type says the annotated span is not the answer.</summary>
    Wrong,

    /// <summary>The annotation itself is unsure: annotators disagree, or the gold text occurs several times.</summary>
    Ambiguity,
}

/// <summary>One input of the learned label-error score: a named number computed from the components, higher = more suspicious.</summary>
/// <param name="Name">The name in a weights file (snake case, stable).</param>
public sealed record LabelErrorFeature(string Name, string Description, LabelEvidence Evidence, Func<LabelErrorComponents, double> Value);

/// <summary>
/// The features of the learned label-error score (<see cref="LabelErrorWeights"/>), in one place: the weights file
/// names them, the fit computes them, the report ranks by each. Every feature grows with suspicion, so a positive
/// coefficient reads "more of this, more likely wrong".
/// </summary>
public static class LabelErrorFeatures
{
    public static IReadOnlyList<LabelErrorFeature> All { get; } =
    [
        new("gold_improbability", "1 − P(gold span)", LabelEvidence.Wrong, c => 1 - c.GoldProbability),
        new("loss", "loss of the gold span", LabelEvidence.Wrong, c => c.Loss),
        new("boundary_loss", "the larger of the gold's start and end losses", LabelEvidence.Wrong, c => c.BoundaryLoss),
        new("disjoint_confidence", "confidence of a prediction apart from every gold", LabelEvidence.Wrong, c => c.DisjointConfidence),
        new("disjoint_distance", "distance of a disjoint prediction from the gold", LabelEvidence.Wrong, c => c.DisjointDistance),
        new("off_gold_mass", "n-best probability off the gold spans", LabelEvidence.Wrong, c => 1 - c.GoldSpanMass),
        new("gold_rank_gap", "1 − 1/(1 + rank of the gold in the n-best), 1 when absent", LabelEvidence.Wrong, c => RankGap(c.GoldNBestRank)),
        new("answer_type_mismatch", "gold answer type the question does not ask for", LabelEvidence.Wrong, c => c.AnswerTypeMismatch),
        new("neighbour_type_disagreement", "latent neighbours whose gold has another answer type", LabelEvidence.Wrong, c => c.NeighbourTypeDisagreement),
        new("outlier_annotator", "one annotator apart from the others and from the reader", LabelEvidence.Wrong, c => c.OutlierAnnotator),
        new("gold_disagreement", "1 − mean F1 between the annotators' answers", LabelEvidence.Ambiguity, c => c.GoldDisagreement),
        new("repeated_gold_text", "the gold text occurs more than once in the context", LabelEvidence.Ambiguity, c => c.AnswerOccurrences >= 2 ? 1 : 0),
    ];

    /// <summary>The feature called <paramref name="name"/>, or null.</summary>
    public static LabelErrorFeature? Find(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>0 when the reader's first answer is a gold, rising towards 1 with its rank; 1 when no n-best answer is.</summary>
    public static double RankGap(int? rank) => rank is { } r ? 1 - (1.0 / (1 + r)) : 1;
}
