using SquadAlbert.Analysis.Attribution;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class IntegratedGradientsTests
{
    private static readonly float[] Input = [1.5f, -2f, 0.25f, 3f];
    private static readonly float[] Baseline = [0.5f, 1f, 0.25f, -1f];

    /// <summary>f(x) = Σ wᵢ xᵢ: IGᵢ = wᵢ (xᵢ − x'ᵢ) for any rule, since the gradient is constant.</summary>
    [Theory]
    [InlineData(IntegrationRule.Trapezoid, 1)]
    [InlineData(IntegrationRule.GaussLegendre, 1)]
    [InlineData(IntegrationRule.GaussLegendre, 7)]
    public void Linear_function_gets_weight_times_displacement(IntegrationRule rule, int steps)
    {
        double[] w = [2, -1, 4, 0.5];
        PathEvaluator linear = (points, _) => points
            .Select(p => new PathPoint(p.Select((v, i) => w[i] * v).Sum(), w.Select(x => (float)x).ToArray()))
            .ToList();

        var result = IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(rule, steps), linear);

        for (var i = 0; i < Input.Length; i++)
        {
            Assert.Equal(w[i] * (Input[i] - Baseline[i]), result.Attributions[i], 1e-12);
        }
        Assert.True(result.Completeness.AbsoluteError < 1e-6, $"{result.Completeness}");
    }

    /// <summary>f(x) = Σ aᵢ xᵢ⁴: the gradient along the path is a cubic in α, which two Gauss–Legendre nodes integrate
    /// exactly, so IGᵢ = aᵢ (xᵢ⁴ − x'ᵢ⁴) in closed form; the trapezoid rule converges to it as O(h²).</summary>
    [Fact]
    public void Quartic_function_matches_the_closed_form()
    {
        double[] a = [1, -0.5, 2, 0.1];
        PathEvaluator quartic = (points, _) => points
            .Select(p => new PathPoint(
                p.Select((v, i) => a[i] * Math.Pow(v, 4)).Sum(),
                p.Select((v, i) => (float)(4 * a[i] * Math.Pow(v, 3))).ToArray()))
            .ToList();
        var expected = Input.Select((x, i) => a[i] * (Math.Pow(x, 4) - Math.Pow(Baseline[i], 4))).ToArray();

        var gauss = IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.GaussLegendre, 2), quartic);
        var coarse = IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.Trapezoid, 8), quartic);
        var fine = IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.Trapezoid, 16), quartic);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], gauss.Attributions[i], 1e-4 * Math.Max(1, Math.Abs(expected[i])));
        }
        Assert.True(gauss.Completeness.RelativeError < 1e-6, $"{gauss.Completeness}");
        // Halving h quarters the trapezoid error.
        var ratio = coarse.Completeness.AbsoluteError / fine.Completeness.AbsoluteError;
        Assert.InRange(ratio, 3.5, 4.5);
    }

    [Fact]
    public void Coordinates_equal_to_the_baseline_get_exactly_zero()
    {
        PathEvaluator anything = (points, _) => points.Select(p => new PathPoint(p.Sum(v => Math.Sin(v)), p.Select(v => (float)Math.Cos(v)).ToArray())).ToList();

        var result = IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.Trapezoid, 3), anything);

        Assert.Equal(0.0, result.Attributions[2]);
    }

    [Fact]
    public void Path_points_are_the_baseline_and_input_exactly_at_the_ends()
    {
        Assert.Equal(Baseline, IntegratedGradients.PointAt(Input, Baseline, 0));
        Assert.Equal(Input, IntegratedGradients.PointAt(Input, Baseline, 1));
        Assert.Equal([1f, -0.5f, 0.25f, 1f], IntegratedGradients.PointAt(Input, Baseline, 0.5));
    }

    [Fact]
    public void The_evaluator_gets_every_node_and_both_ends_in_one_call()
    {
        var calls = new List<int>();
        PathEvaluator counting = (points, _) =>
        {
            calls.Add(points.Count);
            return points.Select(p => new PathPoint(0, new float[p.Length])).ToList();
        };

        IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.GaussLegendre, 5), counting);
        IntegratedGradients.Compute(Input, Baseline, PathQuadrature.Create(IntegrationRule.Trapezoid, 5), counting);

        Assert.Equal([7, 6], calls);
    }

    [Fact]
    public void Completeness_check_reports_absolute_and_relative_error()
    {
        var check = CompletenessCheck.Of(inputValue: 3, baselineValue: 1, attributionSum: 2.1);

        Assert.Equal(0.1, check.AbsoluteError, 1e-12);
        Assert.Equal(0.05, check.RelativeError, 1e-12);
    }

    [Fact]
    public void Gradient_times_input_multiplies_elementwise_optionally_relative_to_a_reference()
    {
        float[] gradient = [2, 3, -1, 0.5f];

        Assert.Equal([3, -6, -0.25, 1.5], GradientTimesInput.Compute(Input, gradient));
        Assert.Equal([2, -9, 0, 2], GradientTimesInput.Compute(Input, gradient, Baseline));
    }

    [Fact]
    public void Token_scores_sum_each_row_signed_and_normalise_separately()
    {
        double[] attributions = [1, -3, 0.5, /**/ -2, -2, 1, /**/ 0, 0, 0];

        var scores = TokenScores.SumPerToken(attributions, dimension: 3);

        Assert.Equal([-1.5, -3, 0], scores);
        Assert.Equal([-0.5, -1, 0], TokenScores.NormalizeByMaxAbs(scores));
        Assert.Equal([0.0, 0.0], TokenScores.NormalizeByMaxAbs([0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => TokenScores.SumPerToken(attributions, dimension: 4));
    }
}
