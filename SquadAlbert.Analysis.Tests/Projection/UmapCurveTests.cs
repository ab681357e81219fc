using SquadAlbert.Analysis.Projection;

namespace SquadAlbert.Analysis.Tests.Projection;

public class UmapCurveTests
{
    [Fact]
    public void Default_parameters_match_umap_learn()
    {
        // umap-learn: find_ab_params(spread=1.0, min_dist=0.1) = (1.5769..., 0.8950...).
        var (a, b) = UmapCurve.FitAb(spread: 1.0, minDist: 0.1);
        Assert.Equal(1.577, a, 1e-2);
        Assert.Equal(0.895, b, 1e-2);
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(2.0, 0.01)]
    [InlineData(0.5, 0.0)]
    public void Fit_is_a_least_squares_minimum(double spread, double minDist)
    {
        var (a, b) = UmapCurve.FitAb(spread, minDist);
        var best = Cost(spread, minDist, a, b);
        foreach (var (da, db) in new[] { (1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3) })
        {
            Assert.True(Cost(spread, minDist, a + da, b + db) > best, $"({a}, {b}) is not a minimum");
        }
    }

    private static double Cost(double spread, double minDist, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < 300; i++)
        {
            var x = 3 * spread * i / 299;
            var target = x < minDist ? 1 : Math.Exp(-(x - minDist) / spread);
            var r = UmapCurve.Curve(x, a, b) - target;
            sum += r * r;
        }
        return sum;
    }
}
