using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

public sealed class NoAnswerThresholdCurveTests
{
    /// <summary>a: answerable, diff −2, span right; b: answerable, diff 1, span F1 0.5; c: unanswerable, diff 3;
    /// d: unanswerable, no span (always abstains).</summary>
    private static readonly ThresholdSample[] Samples =
    [
        new(true, -2, true, 1.0),
        new(true, 1, false, 0.5),
        new(false, 3, false, 0.0),
        new(false, null, false, 0.0),
    ];

    [Fact]
    public void Threshold_zero_abstains_on_b_c_and_d()
    {
        var scores = NoAnswerThresholdCurve.At(Samples, 0.0);

        // b's diff 1 is above 0, so b abstains; a (−2) answers.
        Assert.Equal(3, scores.Abstentions);
        Assert.Equal(2, scores.RightAbstentions);
        // a 1/1, b 0/0 (abstained while answerable), c 1/1, d 1/1.
        Assert.Equal((75.0, 75.0), (scores.Exact, scores.F1));
        Assert.Equal((50.0, 50.0, 2), (scores.HasAnsExact, scores.HasAnsF1, scores.HasAnsTotal));
        Assert.Equal((100.0, 100.0, 2), (scores.NoAnsExact, scores.NoAnsF1, scores.NoAnsTotal));
        Assert.Equal((2.0 / 3, 1.0), (scores.AbstentionPrecision, scores.AbstentionRecall));
    }

    [Fact]
    public void A_diff_equal_to_the_threshold_answers()
    {
        var scores = NoAnswerThresholdCurve.At(Samples, 1.0);

        // b (diff 1, not above 1) answers: EM 0, F1 0.5; a answers right; c (3) and d abstain rightly: EM 3/4, F1 3.5/4.
        Assert.Equal((2, 75.0, 87.5), (scores.Abstentions, scores.Exact, scores.F1));
    }

    [Fact]
    public void The_curve_steps_through_every_distinct_difference()
    {
        var curve = NoAnswerThresholdCurve.Curve(Samples);

        Assert.Equal([1, 2, 3, 4], curve.Select(p => p.Abstentions));
        Assert.Equal([1.0, 1.0, 2.0 / 3, 0.5], curve.Select(p => p.AbstentionPrecision));
        Assert.Equal([0.5, 1.0, 1.0, 1.0], curve.Select(p => p.AbstentionRecall));
        Assert.Equal(double.PositiveInfinity, curve[0].Threshold);
        Assert.True(curve[1].Threshold < 3 && curve[1].Threshold > 2.999);
    }
}
