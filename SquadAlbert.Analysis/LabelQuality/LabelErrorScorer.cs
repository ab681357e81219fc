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

    /// <summary>
    /// The score of a sample as the label_scores stage computes it: <see cref="Score(LabelErrorComponents, LabelErrorWeights)"/>
    /// for an answerable question, <see cref="UnanswerableScore"/> for one marked unanswerable. The span components of an
    /// unanswerable question measure the loss against <c>[CLS]</c> and a "disjoint" best span, which the learned weights
    /// (fitted on answerable questions) read as a wrong label: on the default reader they called two thirds of dev-v2.0's
    /// unanswerable questions "probably wrong".
    /// </summary>
    public static LabelErrorScores Score(LabelErrorInput input, LabelErrorComponents components, LabelErrorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Answerable ? Score(components, weights) : UnanswerableScore(input, components);
    }

    /// <summary>
    /// An unanswerable question's label-error score, from <see cref="AnswerabilityCheck"/>: with p = 1 − the no-answer
    /// probability (how much the reader believes in an answer; 0 when not stored), the score is p and the kind "probably
    /// wrong" when the check finds a confident answer of the type the question asks for
    /// (<see cref="AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer"/>, so p ≥ 0.2 and, at the default
    /// confidence, ≥ 0.8); otherwise p × <see cref="UntypedAnswerWeight"/> (below the "probably wrong" threshold) and
    /// kind none. The components are kept as computed, for display.
    /// </summary>
    public static LabelErrorScores UnanswerableScore(LabelErrorInput input, LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(components);
        var noAnswer = Math.Clamp(input.NoAnswerProbability ?? 1, 0, 1);
        var answer = 1 - noAnswer;
        var bestSpan = input.NBest.Count > 0 ? input.NBest[0].Text : "";
        var suspicion = AnswerabilityCheck.Of(input.Question, answerable: false, [.. input.Golds.Select(g => g.Text)], bestSpan, noAnswer);
        return suspicion == AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer
            ? new LabelErrorScores(components, answer, LabelKind.ProbablyWrong)
            : new LabelErrorScores(components, answer * UntypedAnswerWeight, LabelKind.None);
    }

    /// <summary>How much of the reader's answer belief counts for an unanswerable question whose best span is not of the
    /// asked type (or not confident): at most 0.25, under <see cref="LabelKinds.ProbablyWrongThreshold"/>.</summary>
    public const double UntypedAnswerWeight = 0.25;
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
