using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

/// <summary>
/// Known answers. scikit-learn is not installed here, so the expected values come from a tiny python3 script of the
/// textbook definitions, in exact fractions: ROC AUC = mean over (positive, negative) pairs of 1 if the positive
/// scores higher, ½ if tied, else 0; AP = Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct thresholds from the highest down (what
/// sklearn's average_precision_score computes); positives in the top k = the mean over every order of tied scores,
/// by enumerating the permutations. Case "sklearn docs" is the example of sklearn's documentation
/// (y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]: roc_auc_score 0.75, average_precision_score 0.8333…).
/// </summary>
public sealed class RankingMetricsTests
{
    public static TheoryData<string, double[], bool[], int, double, double, double, double> Cases => new()
    {
        // name, scores, positives, k, ROC AUC, AP, precision@k, recall@k
        { "no ties", [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [true, false, true, false, false, true], 3, 5.0 / 9, 13.0 / 18, 2.0 / 3, 2.0 / 3 },
        { "ties across the cut", [0.5, 0.5, 0.9, 0.1, 0.5, 0.3, 0.7], [true, false, true, false, true, false, false], 3, 3.0 / 4, 11.0 / 15, 5.0 / 9, 5.0 / 9 },
        { "sklearn docs", [0.35, 0.8, 0.1, 0.4], [true, true, false, false], 2, 3.0 / 4, 5.0 / 6, 1.0 / 2, 1.0 / 2 },
        { "all tied", [1, 1, 1, 1], [true, false, false, true], 2, 1.0 / 2, 1.0 / 2, 1.0 / 2, 1.0 / 2 },
        { "perfect", [0.9, 0.1, 0.8, 0.2], [true, false, true, false], 2, 1, 1, 1, 1 },
        { "reversed", [0.1, 0.9, 0.2, 0.8], [true, false, true, false], 2, 0, 5.0 / 12, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Known_answers(string name, double[] scores, bool[] positive, int k, double auc, double ap, double precision, double recall)
    {
        Assert.True(Math.Abs(RankingMetrics.RocAuc(scores, positive) - auc) < 1e-12, $"{name}: ROC AUC {RankingMetrics.RocAuc(scores, positive)}");
        Assert.True(Math.Abs(RankingMetrics.AveragePrecision(scores, positive) - ap) < 1e-12, $"{name}: AP {RankingMetrics.AveragePrecision(scores, positive)}");
        Assert.True(Math.Abs(RankingMetrics.PrecisionAtK(scores, positive, k) - precision) < 1e-12, $"{name}: P@k {RankingMetrics.PrecisionAtK(scores, positive, k)}");
        Assert.True(Math.Abs(RankingMetrics.RecallAtK(scores, positive, k) - recall) < 1e-12, $"{name}: R@k {RankingMetrics.RecallAtK(scores, positive, k)}");
    }

    [Fact]
    public void Without_positives_or_negatives_the_measures_are_undefined()
    {
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([0.1, 0.2], [true, true])));
        Assert.True(double.IsNaN(RankingMetrics.RocAuc([0.1, 0.2], [false, false])));
        Assert.True(double.IsNaN(RankingMetrics.AveragePrecision([0.1, 0.2], [false, false])));
        Assert.True(double.IsNaN(RankingMetrics.RecallAtK([0.1, 0.2], [false, false], 1)));
        Assert.Equal(1, RankingMetrics.AveragePrecision([0.1, 0.2], [true, true]));
    }

    [Fact]
    public void Mismatched_lengths_and_NaN_scores_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RankingMetrics.RocAuc([0.1, 0.2], [true]));
        Assert.Throws<ArgumentException>(() => RankingMetrics.AveragePrecision([double.NaN, 0.2], [true, false]));
    }
}
