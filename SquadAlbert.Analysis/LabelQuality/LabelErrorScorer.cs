using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>What the label-error score needs of one sample; every field is already stored in <c>samples</c>.</summary>
/// <param name="LossStart">Cross-entropy of the first gold's start token on the loss window.</param>
/// <param name="LossEnd">Cross-entropy of the first gold's end token on the loss window.</param>
/// <param name="Relation">Prediction vs best gold as stored ("exact", "normalization only", "overlap", "disjoint").</param>
/// <param name="PredictionProbability">Softmax of the prediction's score over the n-best list.</param>
/// <param name="RelationCharDistance">Characters between the predicted and the best gold span; null for an empty prediction.</param>
/// <param name="GoldTexts">Every gold answer text, the first (the training target) first.</param>
/// <param name="Context">The paragraph the answers are taken from.</param>
public sealed record LabelErrorInput(
    double LossStart, double LossEnd, string Relation, double PredictionProbability, int? RelationCharDistance,
    IReadOnlyList<string> GoldTexts, string Context);

/// <summary>The components of a label-error score and the score itself (columns <c>samples.label_*</c>).</summary>
/// <param name="GoldProbability">P(start)·P(end) of the first gold on the loss window, exp(−(loss_start + loss_end)).</param>
/// <param name="DisjointConfidence">The prediction's probability when it shares no character with any gold, else 0.</param>
/// <param name="GoldDisagreement">1 − mean pairwise official F1 between the gold texts; 0 for a single gold.</param>
/// <param name="AnswerOccurrences">How often the first gold text occurs in the context (ordinal); 2 or more = ambiguous anchor.</param>
/// <param name="Score">The weighted combination, in [0, 1]; higher = more likely a wrong or doubtful label.</param>
public sealed record LabelErrorScores(double GoldProbability, double DisjointConfidence, double GoldDisagreement, int AnswerOccurrences, double Score);

/// <summary>
/// Ranks samples by how likely their gold label is wrong, from what the model and the data say about it (in the
/// spirit of confident learning: a model that confidently prefers another span and finds the gold span improbable
/// points at the label as much as at itself). The score is a weighted sum of components, each scaled to [0, 1]:
/// <list type="bullet">
/// <item><see cref="GoldImprobabilityWeight"/> · (1 − gold probability): the model's own doubt about the gold span;</item>
/// <item><see cref="DisjointConfidenceWeight"/> · disjoint confidence: the model is sure of a span elsewhere;</item>
/// <item><see cref="DistanceWeight"/> · min(1, char distance / <see cref="FarDistance"/>), disjoint predictions only:
/// a prediction far away (another sentence) is more telling than a neighbouring one;</item>
/// <item><see cref="DisagreementWeight"/> · gold disagreement: annotators did not agree on the span;</item>
/// <item><see cref="AmbiguousAnchorWeight"/> when the first gold text occurs more than once in the context: the
/// annotated occurrence may not be the one the question is about.</item>
/// </list>
/// The two model-based components carry most of the weight (0.35 each) because together they are the
/// confident-learning signal; the three data-based ones (0.1 each) break ties and surface doubtful labels the model
/// cannot see. The weights sum to 1, so the score is in [0, 1].
/// </summary>
public static class LabelErrorScorer
{
    public const double GoldImprobabilityWeight = 0.35;
    public const double DisjointConfidenceWeight = 0.35;
    public const double DistanceWeight = 0.1;
    public const double DisagreementWeight = 0.1;
    public const double AmbiguousAnchorWeight = 0.1;

    /// <summary>Characters from which a disjoint prediction counts as fully far (roughly two sentences).</summary>
    public const int FarDistance = 200;

    private const string DisjointRelation = "disjoint";

    public static LabelErrorScores Score(LabelErrorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var goldProbability = GoldProbability(input.LossStart, input.LossEnd);
        var isDisjoint = input.Relation == DisjointRelation;
        var disjointConfidence = isDisjoint ? Math.Clamp(input.PredictionProbability, 0, 1) : 0;
        var distance = isDisjoint && input.RelationCharDistance is { } chars ? Math.Min(1.0, chars / (double)FarDistance) : 0;
        var disagreement = GoldDisagreement(input.GoldTexts);
        var occurrences = input.GoldTexts.Count == 0 ? 0 : Occurrences(input.Context, input.GoldTexts[0]);
        var score = (GoldImprobabilityWeight * (1 - goldProbability))
                    + (DisjointConfidenceWeight * disjointConfidence)
                    + (DistanceWeight * distance)
                    + (DisagreementWeight * disagreement)
                    + (AmbiguousAnchorWeight * (occurrences >= 2 ? 1 : 0));
        return new LabelErrorScores(goldProbability, disjointConfidence, disagreement, occurrences, Math.Clamp(score, 0, 1));
    }

    /// <summary>P(start)·P(end) from the two cross-entropies, in [0, 1].</summary>
    public static double GoldProbability(double lossStart, double lossEnd) => Math.Clamp(Math.Exp(-(lossStart + lossEnd)), 0, 1);

    /// <summary>1 − the mean official F1 over every unordered pair of gold texts; 0 with fewer than two golds.</summary>
    public static double GoldDisagreement(IReadOnlyList<string> goldTexts)
    {
        ArgumentNullException.ThrowIfNull(goldTexts);
        if (goldTexts.Count < 2)
        {
            return 0;
        }
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < goldTexts.Count; i++)
        {
            for (var j = i + 1; j < goldTexts.Count; j++)
            {
                sum += OfficialSquadMetric.F1(goldTexts[i], goldTexts[j]);
                pairs++;
            }
        }
        return Math.Clamp(1 - (sum / pairs), 0, 1);
    }

    /// <summary>Occurrences of <paramref name="text"/> in <paramref name="context"/>, overlapping ones included; 0 for empty text.</summary>
    public static int Occurrences(string context, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }
        var count = 0;
        for (var at = context.IndexOf(text, StringComparison.Ordinal); at >= 0; at = context.IndexOf(text, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
