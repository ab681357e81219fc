namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>A sample's label-error components, its learned score and its kind (columns <c>samples.label_*</c>).</summary>
/// <param name="Score">P(the gold label is wrong) under the weights, in [0, 1]; higher = more likely a wrong or doubtful label.</param>
public sealed record LabelErrorScores(LabelErrorComponents Components, double Score, LabelKind Kind);

/// <summary>
/// Ranks samples by how likely their gold label is wrong, from what the model and the data say about it (in the
/// spirit of confident learning: a model that confidently prefers another span and finds the gold span improbable
/// points at the label as much as at itself). The components (<see cref="LabelErrorComponents"/>) become features
/// (<see cref="LabelErrorFeatures"/>), the features a probability through a logistic regression fitted on planted
/// label errors (<see cref="LabelErrorWeights"/>), and the probability and the evidence behind it a
/// <see cref="LabelKind"/>.
/// </summary>
public static class LabelErrorScorer
{
    public static LabelErrorScores Score(LabelErrorComponents components, LabelErrorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(weights);
        var probability = weights.Probability(components);
        return new LabelErrorScores(components, probability, LabelKinds.Classify(probability, weights.Evidence(components), components));
    }
}

/// <summary>
/// The first label-error score, kept as a baseline for the planted-noise report: a weighted sum with hand-set weights,
/// never measured against known errors (on the default reader it ranked moved spans worse than the loss alone did).
/// <list type="bullet">
/// <item><see cref="GoldImprobabilityWeight"/> · (1 − gold probability);</item>
/// <item><see cref="DisjointConfidenceWeight"/> · disjoint confidence;</item>
/// <item><see cref="DistanceWeight"/> · disjoint distance;</item>
/// <item><see cref="DisagreementWeight"/> · gold disagreement;</item>
/// <item><see cref="AmbiguousAnchorWeight"/> when the first gold text occurs more than once in the context.</item>
/// </list>
/// The weights sum to 1, so the score is in [0, 1].
/// </summary>
public static class HandWeightedLabelScore
{
    public const double GoldImprobabilityWeight = 0.35;
    public const double DisjointConfidenceWeight = 0.35;
    public const double DistanceWeight = 0.1;
    public const double DisagreementWeight = 0.1;
    public const double AmbiguousAnchorWeight = 0.1;

    public static double Of(LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var score = (GoldImprobabilityWeight * (1 - components.GoldProbability))
                    + (DisjointConfidenceWeight * components.DisjointConfidence)
                    + (DistanceWeight * components.DisjointDistance)
                    + (DisagreementWeight * components.GoldDisagreement)
                    + (AmbiguousAnchorWeight * (components.AnswerOccurrences >= 2 ? 1 : 0));
        return Math.Clamp(score, 0, 1);
    }
}
