using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

public class TokenSpanMetricsTests
{
    [Fact]
    public void Exact_match_needs_both_ends()
    {
        Assert.True(TokenSpanMetrics.ExactMatch(new TokenSpan(5, 8), new TokenSpan(5, 8)));
        Assert.False(TokenSpanMetrics.ExactMatch(new TokenSpan(5, 9), new TokenSpan(5, 8)));
        Assert.False(TokenSpanMetrics.ExactMatch(new TokenSpan(4, 8), new TokenSpan(5, 8)));
    }

    [Fact]
    public void Partial_overlap_f1_and_iou()
    {
        // predicted {10..14} (5 tokens), gold {12..17} (6 tokens): overlap {12,13,14} = 3, union 8.
        // precision 3/5, recall 3/6 -> F1 = 2*0.6*0.5/1.1 = 6/11.
        var predicted = new TokenSpan(10, 14);
        var gold = new TokenSpan(12, 17);
        Assert.Equal(6.0 / 11, TokenSpanMetrics.F1(predicted, gold), 15);
        Assert.Equal(3.0 / 8, TokenSpanMetrics.IntersectionOverUnion(predicted, gold));
    }

    [Fact]
    public void Containment_and_disjoint_spans()
    {
        // predicted {3} inside gold {1..4}: precision 1, recall 1/4, F1 = 0.4; IoU 1/4.
        Assert.Equal(0.4, TokenSpanMetrics.F1(new TokenSpan(3, 3), new TokenSpan(1, 4)), 15);
        Assert.Equal(0.25, TokenSpanMetrics.IntersectionOverUnion(new TokenSpan(3, 3), new TokenSpan(1, 4)));
        Assert.Equal(0, TokenSpanMetrics.F1(new TokenSpan(1, 2), new TokenSpan(3, 4)));
        Assert.Equal(0, TokenSpanMetrics.IntersectionOverUnion(new TokenSpan(1, 2), new TokenSpan(3, 4)));
        Assert.Equal(1, TokenSpanMetrics.IntersectionOverUnion(new TokenSpan(3, 4), new TokenSpan(3, 4)));
    }

    [Fact]
    public void A_reversed_prediction_is_an_empty_span()
    {
        var reversed = new TokenSpan(9, 7);
        Assert.Equal(0, reversed.Length);
        Assert.Equal(0, TokenSpanMetrics.F1(reversed, new TokenSpan(7, 9)));
        Assert.Equal(0, TokenSpanMetrics.IntersectionOverUnion(reversed, new TokenSpan(7, 9)));
        Assert.Equal(0, TokenSpanMetrics.IntersectionOverUnion(reversed, reversed));
    }

    [Fact]
    public void Cross_entropy_of_known_distributions()
    {
        // Uniform over 4: -log(1/4) = log 4.
        Assert.Equal(Math.Log(4), TokenSpanMetrics.CrossEntropy([0.5f, 0.5f, 0.5f, 0.5f], 2), 12);
        // [1, 2, 3], target 2: log(e + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2) = 0.40760596444438...
        Assert.Equal(0.40760596444438, TokenSpanMetrics.CrossEntropy([1f, 2f, 3f], 2), 12);
        // target 0: log(e + e^2 + e^3) - 1 = 2.40760596444438...
        Assert.Equal(2.40760596444438, TokenSpanMetrics.CrossEntropy([1f, 2f, 3f], 0), 12);
    }

    [Fact]
    public void Cross_entropy_is_stable_for_large_logits()
    {
        // A naive exp(1000) overflows; log-softmax gives 1000 for the other class and ~e^-1000 (0) for the winner.
        Assert.Equal(1000, TokenSpanMetrics.CrossEntropy([1000f, 0f], 1), 9);
        Assert.Equal(0, TokenSpanMetrics.CrossEntropy([1000f, 0f], 0), 12);
        Assert.Equal(Math.Log(2), TokenSpanMetrics.CrossEntropy([-5000f, -5000f], 0), 12);
    }

    [Fact]
    public void Cross_entropy_rejects_targets_outside_the_logits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSpanMetrics.CrossEntropy([1f, 2f], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSpanMetrics.CrossEntropy([1f, 2f], -1));
    }

    [Fact]
    public void Loss_is_the_mean_of_start_and_end_cross_entropy()
    {
        var loss = TokenSpanMetrics.Loss([0f, 0f, 0f, 0f], [1f, 2f, 3f, -1000f], new TokenSpan(1, 2));
        // start: uniform over 4 -> log 4; end: target 2 of [1,2,3,-1000] -> 0.40760596444438 (exp(-1000) vanishes).
        Assert.Equal(Math.Log(4), loss.Start, 12);
        Assert.Equal(0.40760596444438, loss.End, 12);
        Assert.Equal((Math.Log(4) + 0.40760596444438) / 2, loss.Mean, 12);
    }
}
