namespace SquadAlbert.Analysis.Metrics;

/// <summary>What a SQuAD 2.0 sample needs to be re-scored at any no-answer threshold, as stored in <c>samples</c>:
/// <c>answerable</c>, <c>null_score_diff</c> (null when no span exists), <c>span_exact_match</c>, <c>span_f1</c>.</summary>
public readonly record struct ThresholdSample(bool Answerable, double? NullScoreDiff, bool SpanExactMatch, double SpanF1)
{
    /// <summary>Post-processing abstains when null − best span &gt; threshold, and always when there is no span.</summary>
    public bool AbstainsAt(double threshold) => NullScoreDiff is not { } diff || diff > threshold;
}

/// <summary>EM and F1 (0..100) of all, answerable (HasAns) and unanswerable (NoAns) questions at one threshold; NaN for an
/// empty group. Abstentions: how many questions get "" and how many of those are unanswerable.</summary>
public sealed record ThresholdScores(
    double Threshold, double Exact, double F1, double HasAnsExact, double HasAnsF1, int HasAnsTotal, double NoAnsExact, double NoAnsF1, int NoAnsTotal,
    int Abstentions, int RightAbstentions)
{
    /// <summary>Share of abstentions that are on unanswerable questions; NaN without abstentions.</summary>
    public double AbstentionPrecision => Abstentions == 0 ? double.NaN : (double)RightAbstentions / Abstentions;

    /// <summary>Share of unanswerable questions abstained on; NaN without unanswerable questions.</summary>
    public double AbstentionRecall => NoAnsTotal == 0 ? double.NaN : (double)RightAbstentions / NoAnsTotal;
}

/// <summary>
/// Re-applies the SQuAD 2.0 no-answer threshold to a finished run without the model (the dashboard's threshold slider):
/// a sample that answers scores its best span's EM/F1 (<c>span_exact_match</c>, <c>span_f1</c>, already evaluate-v2.0.py's
/// scores, so a span on an unanswerable question scores 0); one that abstains scores 1 when unanswerable and 0 when
/// answerable (exact for every answerable question with a gold that survives normalisation: all of dev-v2.0).
/// <see cref="Curve"/> gives the precision–recall curve of abstention (positive = "no answer").
/// </summary>
public static class NoAnswerThresholdCurve
{
    public static ThresholdScores At(IReadOnlyList<ThresholdSample> samples, double threshold)
    {
        ArgumentNullException.ThrowIfNull(samples);
        double exact = 0, f1 = 0, hasExact = 0, hasF1 = 0, noExact = 0, noF1 = 0;
        int hasTotal = 0, noTotal = 0, abstentions = 0, right = 0;
        foreach (var sample in samples)
        {
            var abstains = sample.AbstainsAt(threshold);
            var (e, f) = abstains ? (sample.Answerable ? 0.0 : 1.0, sample.Answerable ? 0.0 : 1.0) : (sample.SpanExactMatch ? 1.0 : 0.0, sample.SpanF1);
            exact += e;
            f1 += f;
            if (sample.Answerable)
            {
                (hasExact, hasF1, hasTotal) = (hasExact + e, hasF1 + f, hasTotal + 1);
            }
            else
            {
                (noExact, noF1, noTotal) = (noExact + e, noF1 + f, noTotal + 1);
            }
            abstentions += abstains ? 1 : 0;
            right += abstains && !sample.Answerable ? 1 : 0;
        }
        static double Percent(double sum, int count) => count == 0 ? double.NaN : 100.0 * sum / count;
        return new ThresholdScores(threshold, Percent(exact, samples.Count), Percent(f1, samples.Count), Percent(hasExact, hasTotal),
            Percent(hasF1, hasTotal), hasTotal, Percent(noExact, noTotal), Percent(noF1, noTotal), noTotal, abstentions, right);
    }

    /// <summary>
    /// The scores at every threshold where abstentions change: just below each distinct null-score difference (so that
    /// sample and every larger one abstain), from the largest difference down, then one point at +∞ where only the
    /// samples without a span abstain, first. Each point's precision and recall make the abstention PR curve.
    /// </summary>
    public static IReadOnlyList<ThresholdScores> Curve(IReadOnlyList<ThresholdSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var thresholds = samples.Where(s => s.NullScoreDiff is not null).Select(s => s.NullScoreDiff!.Value).Distinct().OrderDescending()
            .Select(diff => Math.BitDecrement(diff)).Prepend(double.PositiveInfinity);
        return [.. thresholds.Select(t => At(samples, t))];
    }
}
