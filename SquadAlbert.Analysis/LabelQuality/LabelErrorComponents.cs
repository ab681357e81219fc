using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>What the label-error components need of one sample; every field is stored in <c>samples</c>.</summary>
/// <param name="Golds">Every gold answer, the first (the training target) first.</param>
/// <param name="LossStart">Cross-entropy of the first gold's start token on the loss window.</param>
/// <param name="LossEnd">Cross-entropy of the first gold's end token on the loss window.</param>
/// <param name="Relation">Prediction vs best gold as stored ("exact", "normalization only", "overlap", "disjoint").</param>
/// <param name="PredictionProbability">Softmax of the prediction's score over the n-best list.</param>
/// <param name="RelationCharDistance">Characters between the predicted and the best gold span; null for an empty prediction.</param>
/// <param name="NBest">The reader's n-best list, best first, with probabilities that sum to 1 (empty when it found no span).</param>
/// <param name="Answerable">False for a SQuAD 2.0 question marked unanswerable (<c>answerable</c>): its score comes from
/// <see cref="AnswerabilityCheck"/>, not from the span components (<see cref="LabelErrorScorer.Score(LabelErrorInput, LabelErrorComponents, LabelErrorWeights)"/>).</param>
/// <param name="NoAnswerProbability">The reader's no-answer probability (<c>no_answer_probability</c>); null when not stored.</param>
public sealed record LabelErrorInput(
    string Question, string Context, IReadOnlyList<GoldAnswer> Golds, double LossStart, double LossEnd, string Relation,
    double PredictionProbability, int? RelationCharDistance, IReadOnlyList<NBestEntry> NBest, bool Answerable = true, double? NoAnswerProbability = null);

/// <summary>
/// The evidence about one sample's gold label, each part a small pure function of what a run stores (columns
/// <c>samples.label_*</c>). <see cref="LabelErrorFeatures"/> turns them into the inputs of the learned score.
/// </summary>
/// <param name="LossStart">Cross-entropy of the first gold's start token on the loss window (stored as <c>loss_start</c>).</param>
/// <param name="LossEnd">Cross-entropy of its end token (<c>loss_end</c>).</param>
/// <param name="DisjointConfidence">The prediction's probability when it shares no character with any gold, else 0.</param>
/// <param name="DisjointDistance">For a disjoint prediction, min(1, characters to the gold / <see cref="FarDistance"/>); else 0.</param>
/// <param name="GoldDisagreement">1 − mean pairwise official F1 between the gold texts; 0 for a single gold.</param>
/// <param name="AnswerOccurrences">How often the first gold text occurs in the context (ordinal); 2 or more = ambiguous anchor.</param>
/// <param name="GoldSpanMass">The n-best probability on spans that overlap a gold span, in [0, 1].</param>
/// <param name="GoldNBestRank">0-based rank of the first n-best answer that matches a gold text (official exact match); null when none does.</param>
/// <param name="AnswerTypeMismatch">Share of the golds whose answer type the question does not ask for (<see cref="AnswerTypeExpectation"/>).</param>
/// <param name="NeighbourTypeDisagreement">Share of the sample's nearest neighbours in latent space whose first gold has another answer type.</param>
/// <param name="OutlierAnnotator">How far one annotator stands apart from the others and from the reader (<see cref="OutlierAnnotatorOf"/>).</param>
public sealed record LabelErrorComponents(
    double LossStart, double LossEnd, double DisjointConfidence, double DisjointDistance, double GoldDisagreement, int AnswerOccurrences,
    double GoldSpanMass, int? GoldNBestRank, double AnswerTypeMismatch, double NeighbourTypeDisagreement, double OutlierAnnotator)
{
    /// <summary>The definition of the components, recorded in the label_scores stage's settings: raise it when a component
    /// changes, so that stored runs are scored again by the next <c>latent</c>. 3: unanswerable SQuAD 2.0 questions are
    /// scored by the answerability check (<see cref="LabelErrorScorer.UnanswerableScore"/>).</summary>
    public const int Version = 3;

    /// <summary>Characters from which a disjoint prediction counts as fully far (roughly two sentences).</summary>
    public const int FarDistance = 200;

    /// <summary>Neighbours (by context embedding, cosine) whose answer types <see cref="NeighbourTypeDisagreement"/> compares.</summary>
    public const int NeighbourCount = 10;

    private const string DisjointRelation = "disjoint";

    /// <summary>P(start)·P(end) of the first gold on the loss window, exp(−(loss_start + loss_end)).</summary>
    public double GoldProbability => GoldProbabilityOf(LossStart, LossEnd);

    /// <summary>The training loss, (loss_start + loss_end) / 2.</summary>
    public double Loss => (LossStart + LossEnd) / 2;

    /// <summary>The larger of the two boundary losses: a gold with one boundary moved (a shifted span) has one
    /// improbable end and one likely one, which their mean blurs.</summary>
    public double BoundaryLoss => Math.Max(LossStart, LossEnd);

    /// <param name="neighbourTypeDisagreement">From <see cref="NeighbourTypeShare"/>: it needs the other samples, so the latent stage computes it.</param>
    public static LabelErrorComponents Of(LabelErrorInput input, double neighbourTypeDisagreement)
    {
        ArgumentNullException.ThrowIfNull(input);
        var goldTexts = input.Golds.Select(g => g.Text).ToList();
        return new LabelErrorComponents(
            input.LossStart,
            input.LossEnd,
            DisjointConfidenceOf(input.Relation, input.PredictionProbability),
            DisjointDistanceOf(input.Relation, input.RelationCharDistance),
            GoldDisagreementOf(goldTexts),
            goldTexts.Count == 0 ? 0 : Occurrences(input.Context, goldTexts[0]),
            GoldSpanMassOf(input.NBest, input.Golds),
            GoldRankOf(input.NBest, goldTexts),
            AnswerTypeExpectation.Mismatch(input.Question, goldTexts),
            Math.Clamp(neighbourTypeDisagreement, 0, 1),
            OutlierAnnotatorOf(input.Golds, input.NBest));
    }

    /// <summary>P(start)·P(end) from the two cross-entropies, in [0, 1].</summary>
    public static double GoldProbabilityOf(double lossStart, double lossEnd) => Math.Clamp(Math.Exp(-(lossStart + lossEnd)), 0, 1);

    /// <summary>The prediction's probability when it is disjoint from every gold, else 0.</summary>
    public static double DisjointConfidenceOf(string relation, double predictionProbability) =>
        relation == DisjointRelation ? Math.Clamp(predictionProbability, 0, 1) : 0;

    /// <summary>min(1, distance / <see cref="FarDistance"/>) for a disjoint prediction: a prediction in another sentence
    /// says more than a neighbouring one; 0 otherwise.</summary>
    public static double DisjointDistanceOf(string relation, int? charDistance) =>
        relation == DisjointRelation && charDistance is { } chars ? Math.Clamp(chars / (double)FarDistance, 0, 1) : 0;

    /// <summary>1 − the mean official F1 over every unordered pair of gold texts; 0 with fewer than two golds.</summary>
    public static double GoldDisagreementOf(IReadOnlyList<string> goldTexts)
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

    /// <summary>
    /// The most isolated annotator's score: max over the golds of (1 − its best official F1 with any other gold) × (1 − the
    /// reader's n-best mass on spans that overlap it); 0 with fewer than two golds. Annotators who disagree naturally
    /// mostly mark overlapping or equally plausible spans, which the reader also weighs; one who marked an unrelated
    /// span shares no word with the others and gets none of the reader's mass. The other components only look at the
    /// first gold or at all golds together, so a single wrong annotator of several is invisible to them.
    /// </summary>
    public static double OutlierAnnotatorOf(IReadOnlyList<GoldAnswer> golds, IReadOnlyList<NBestEntry> nBest)
    {
        ArgumentNullException.ThrowIfNull(golds);
        ArgumentNullException.ThrowIfNull(nBest);
        double outlier = 0;
        for (var i = 0; i < golds.Count; i++)
        {
            var closest = golds.Where((_, j) => j != i).Select(other => OfficialSquadMetric.F1(golds[i].Text, other.Text)).DefaultIfEmpty(1).Max();
            var supported = GoldSpanMassOf(nBest, [golds[i]]);
            outlier = Math.Max(outlier, (1 - closest) * (1 - supported));
        }
        return Math.Clamp(outlier, 0, 1);
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

    /// <summary>
    /// The reader's probability mass on answers that share a character with a gold span (the n-best probabilities are
    /// a softmax over the list, so this is the share of its belief that lands on the annotation; 1 − it lands elsewhere).
    /// </summary>
    public static double GoldSpanMassOf(IReadOnlyList<NBestEntry> nBest, IReadOnlyList<GoldAnswer> golds)
    {
        ArgumentNullException.ThrowIfNull(nBest);
        ArgumentNullException.ThrowIfNull(golds);
        var mass = nBest.Where(c => golds.Any(g => c.Start < g.End && g.Start < c.End)).Sum(c => c.Probability);
        return Math.Clamp(mass, 0, 1);
    }

    /// <summary>The 0-based rank of the first n-best answer whose text matches a gold text after SQuAD's normalisation; null when none does.</summary>
    public static int? GoldRankOf(IReadOnlyList<NBestEntry> nBest, IReadOnlyList<string> goldTexts)
    {
        ArgumentNullException.ThrowIfNull(nBest);
        ArgumentNullException.ThrowIfNull(goldTexts);
        for (var rank = 0; rank < nBest.Count; rank++)
        {
            if (goldTexts.Any(gold => OfficialSquadMetric.ExactMatch(nBest[rank].Text, gold)))
            {
                return rank;
            }
        }
        return null;
    }

    /// <summary>The share of <paramref name="neighbourTypes"/> that differ from <paramref name="ownType"/>; 0 without neighbours.</summary>
    public static double NeighbourTypeShare(string ownType, IReadOnlyList<string> neighbourTypes)
    {
        ArgumentNullException.ThrowIfNull(ownType);
        ArgumentNullException.ThrowIfNull(neighbourTypes);
        return neighbourTypes.Count == 0 ? 0 : neighbourTypes.Count(type => !string.Equals(type, ownType, StringComparison.Ordinal)) / (double)neighbourTypes.Count;
    }
}
