using SquadAlbert.Analysis.Attribution;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class AdaptivePathQuadratureTests
{
    /// <summary>Evaluates f and f' at each α and records every α asked for and every call.</summary>
    private sealed class Recorder(Func<double, double> f, Func<double, double> slope)
    {
        public List<double> Alphas { get; } = [];
        public int Calls { get; private set; }

        public List<PathSample> Evaluate(IReadOnlyList<double> alphas)
        {
            Calls++;
            Alphas.AddRange(alphas);
            return alphas.Select(a => new PathSample(f(a), slope(a))).ToList();
        }
    }

    private static double Integrate(PathQuadrature rule, Func<double, double> g) => rule.Nodes.Select((a, k) => rule.Weights[k] * g(a)).Sum();

    /// <summary>Simpson is exact for cubics: the first rule (8 intervals, 9 points, one call) already meets any bound.</summary>
    [Fact]
    public void A_cubic_is_integrated_exactly_by_the_starting_rule()
    {
        var recorder = new Recorder(a => a * a * a - 2 * a * a + 0.5 * a, a => 3 * a * a - 4 * a + 0.5);

        var result = AdaptivePathQuadrature.Build(recorder.Evaluate, relativeBound: 1e-12);

        Assert.True(result.Converged);
        Assert.Equal((8, 9, 1), (result.Quadrature.Steps, result.Evaluations, recorder.Calls));
        Assert.Equal(-0.5, Integrate(result.Quadrature, a => 3 * a * a - 4 * a + 0.5), 1e-14);
        Assert.Equal(1.0, result.Quadrature.Weights.Sum(), 1e-14);
        Assert.Equal(0.0, result.Quadrature.Nodes[0]);
        Assert.Equal(1.0, result.Quadrature.Nodes[^1]);
    }

    /// <summary>A smooth integrand to a tight bound: the integral of 3e^{3α} is e³ − 1, and the bound holds for it.</summary>
    [Theory]
    [InlineData(1e-2)]
    [InlineData(1e-6)]
    [InlineData(1e-9)]
    public void A_smooth_function_meets_the_bound_and_the_true_error_is_under_it(double bound)
    {
        var recorder = new Recorder(a => Math.Exp(3 * a), a => 3 * Math.Exp(3 * a));

        var result = AdaptivePathQuadrature.Build(recorder.Evaluate, bound, maxIntervals: 512);

        var exact = Math.Exp(3) - 1;
        var error = Math.Abs(Integrate(result.Quadrature, a => 3 * Math.Exp(3 * a)) - exact) / exact;
        Assert.True(result.Converged, $"{result}");
        Assert.True(error <= result.ErrorBound + 1e-15, $"true error {error} above the reported bound {result.ErrorBound}");
        Assert.True(result.ErrorBound <= bound, $"{result.ErrorBound}");
    }

    /// <summary>Every α is evaluated exactly once, each round asks only for new points, and every evaluated point is a node
    /// of the final rule: refinement reuses all gradients computed before it.</summary>
    [Fact]
    public void Refinement_evaluates_each_point_once_and_keeps_every_point_as_a_node()
    {
        var recorder = new Recorder(a => Math.Tanh(40 * (a - 0.3)), a => 40 / Math.Pow(Math.Cosh(40 * (a - 0.3)), 2));

        var result = AdaptivePathQuadrature.Build(recorder.Evaluate, 1e-3, maxIntervals: 512);

        Assert.True(result.Converged, $"{result}");
        Assert.True(recorder.Calls > 2, $"{recorder.Calls} calls");
        Assert.Equal(recorder.Alphas.Count, recorder.Alphas.Distinct().Count());
        Assert.Equal(result.Evaluations, recorder.Alphas.Count);
        Assert.Equal(recorder.Alphas.Order(), result.Quadrature.Nodes);
        Assert.Equal(result.Quadrature.Nodes.Length - 1, result.Quadrature.Steps);
        // After the 9 starting points, each round adds 2 points per bisected panel, at most 8.
        Assert.True(recorder.Alphas.Count <= 9 + 8 * (recorder.Calls - 1));
        Assert.Equal(1.0, result.Quadrature.Weights.Sum(), 1e-13);
        // Bisection puts the points where the integrand bends: more of them within 0.1 of the step at 0.3 than elsewhere.
        var near = result.Quadrature.Nodes.Count(a => Math.Abs(a - 0.3) < 0.1);
        Assert.True(near > result.Quadrature.Nodes.Length / 2, $"{near} of {result.Quadrature.Nodes.Length} nodes near the step");
        var exact = Math.Tanh(40 * 0.7) - Math.Tanh(-40 * 0.3);
        Assert.True(Math.Abs(Integrate(result.Quadrature, a => 40 / Math.Pow(Math.Cosh(40 * (a - 0.3)), 2)) - exact) / exact <= 1e-3);
    }

    /// <summary>A bound out of reach stops at the maximum number of intervals, reporting that it did not converge.</summary>
    [Fact]
    public void The_maximum_number_of_intervals_stops_the_refinement()
    {
        var recorder = new Recorder(a => Math.Tanh(40 * (a - 0.3)), a => 40 / Math.Pow(Math.Cosh(40 * (a - 0.3)), 2));

        var result = AdaptivePathQuadrature.Build(recorder.Evaluate, 1e-12, maxIntervals: 20);

        Assert.False(result.Converged);
        Assert.Equal((20, 21), (result.Quadrature.Steps, result.Evaluations));
        Assert.True(result.ErrorBound > 1e-12);
    }

    [Fact]
    public void The_fixed_rule_factory_refuses_the_adaptive_rule_and_the_bound_must_be_positive()
    {
        Assert.Throws<ArgumentException>(() => PathQuadrature.Create(IntegrationRule.Adaptive, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptivePathQuadrature.Build(_ => [], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptivePathQuadrature.Build(_ => [], 0.01, maxIntervals: 4));
    }

    /// <summary>f(x) = Σ aᵢ sin(xᵢ) is separable, so IGᵢ = aᵢ (sin xᵢ − sin x'ᵢ) exactly; the adaptive rule meets the 1 %
    /// bound, reports the intervals it used and the completeness error, and asks the evaluator for each point once.</summary>
    [Fact]
    public void Integrated_gradients_of_an_analytic_function_are_complete_within_the_bound()
    {
        float[] input = [2.5f, -3f, 0.25f, 4f, 1f];
        float[] baseline = [0f, 0f, 0.25f, -1f, 0f];
        double[] a = [1, -0.5, 2, 0.7, 3];
        var asked = 0;
        var calls = 0;
        PathEvaluator evaluate = (points, _) =>
        {
            calls++;
            asked += points.Count;
            return points.Select(p => new PathPoint(
                p.Select((v, i) => a[i] * Math.Sin(v)).Sum(),
                p.Select((v, i) => (float)(a[i] * Math.Cos(v))).ToArray())).ToList();
        };

        var adaptive = IntegratedGradients.ComputeAdaptive(input, baseline, evaluate);

        var expected = input.Select((x, i) => a[i] * (Math.Sin(x) - Math.Sin(baseline[i]))).ToArray();
        var result = adaptive.Result;
        Assert.True(adaptive.Rule.Converged, $"{adaptive.Rule}");
        Assert.True(result.Completeness.RelativeError <= AdaptivePathQuadrature.DefaultRelativeBound, $"{result.Completeness}");
        Assert.True(result.Completeness.RelativeError <= adaptive.Rule.ErrorBound + 1e-12);
        Assert.Equal(asked, adaptive.Rule.Evaluations);
        Assert.Equal(adaptive.Rule.Quadrature.Steps + 1, asked);
        Assert.True(adaptive.Rule.Quadrature.Steps < AdaptivePathQuadrature.DefaultMaxIntervals, $"{adaptive.Rule.Quadrature.Steps} intervals");
        Assert.Equal(0.0, result.Attributions[2]);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(result.Attributions[i] - expected[i]) <= 0.02 * scale, $"coordinate {i}: {result.Attributions[i]} vs {expected[i]}");
        }
        // A tighter bound: more points, all earlier ones reused, closer to the closed form.
        var tight = IntegratedGradients.ComputeAdaptive(input, baseline, evaluate, relativeBound: 1e-8, maxIntervals: 1024);
        Assert.True(tight.Rule.Converged, $"{tight.Rule}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], tight.Result.Attributions[i], 1e-5);
        }
        Assert.True(calls > 2);
    }
}
