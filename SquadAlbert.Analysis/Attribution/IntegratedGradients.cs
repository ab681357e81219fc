namespace SquadAlbert.Analysis.Attribution;

/// <summary>The target value f and its gradient ∂f/∂x at one point of the attribution path.</summary>
public sealed record PathPoint(double Value, float[] Gradient);

/// <summary>Evaluates f and ∂f/∂x at every point (all at once, so the caller can batch them).</summary>
public delegate IReadOnlyList<PathPoint> PathEvaluator(IReadOnlyList<float[]> points, CancellationToken cancellationToken);

/// <summary>
/// The completeness axiom of integrated gradients checked on one attribution: Σᵢ IGᵢ should equal
/// f(x) − f(baseline); the difference is the discretisation error of the path integral.
/// </summary>
/// <param name="RelativeError"><see cref="AbsoluteError"/> / |f(x) − f(baseline)| (the denominator floored at 1e-12).</param>
public sealed record CompletenessCheck(double InputValue, double BaselineValue, double AttributionSum, double AbsoluteError, double RelativeError)
{
    public static CompletenessCheck Of(double inputValue, double baselineValue, double attributionSum)
    {
        var difference = inputValue - baselineValue;
        var absolute = Math.Abs(attributionSum - difference);
        return new CompletenessCheck(inputValue, baselineValue, attributionSum, absolute, absolute / Math.Max(Math.Abs(difference), 1e-12));
    }
}

/// <summary>Per-element attributions and the completeness check of one integrated-gradients run.</summary>
public sealed record IntegratedGradientsResult(double[] Attributions, CompletenessCheck Completeness);

/// <summary>An adaptive integrated-gradients run: the attributions and the rule it settled on (intervals used, evaluations,
/// whether the bound was met).</summary>
public sealed record AdaptiveIntegratedGradientsResult(IntegratedGradientsResult Result, AdaptiveQuadratureResult Rule);

/// <summary>
/// Integrated gradients (Sundararajan et al., 2017) on the straight line from a baseline x' to the input x:
/// IGᵢ = (xᵢ − x'ᵢ) · ∫₀¹ ∂f/∂xᵢ(x' + α(x − x')) dα, with the integral replaced by a <see cref="PathQuadrature"/>.
/// </summary>
public static class IntegratedGradients
{
    public static IntegratedGradientsResult Compute(
        float[] input, float[] baseline, PathQuadrature quadrature, PathEvaluator evaluate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(quadrature);
        ArgumentNullException.ThrowIfNull(evaluate);
        if (input.Length != baseline.Length)
        {
            throw new ArgumentException($"input has {input.Length} values, baseline {baseline.Length}.", nameof(baseline));
        }
        // The path ends give f(x) and f(x') for the completeness check; the trapezoid rule has them as nodes already.
        var alphas = quadrature.Nodes.Append(0.0).Append(1.0).Distinct().ToList();
        var points = alphas.Select(alpha => PointAt(input, baseline, alpha)).ToList();
        var evaluated = evaluate(points, cancellationToken);
        if (evaluated.Count != points.Count)
        {
            throw new InvalidOperationException($"the evaluator returned {evaluated.Count} results for {points.Count} points.");
        }

        return Accumulate(input, baseline, quadrature, alpha => evaluated[alphas.IndexOf(alpha)]);
    }

    /// <summary>
    /// Integrated gradients with <see cref="AdaptivePathQuadrature"/>: starts with 8 intervals and bisects panels, evaluating
    /// only the new points each round, until the relative completeness error is at most <paramref name="relativeBound"/> or
    /// <paramref name="maxIntervals"/> is reached. The rule's <see cref="PathQuadrature.Steps"/> is the number of intervals used.
    /// </summary>
    public static AdaptiveIntegratedGradientsResult ComputeAdaptive(
        float[] input, float[] baseline, PathEvaluator evaluate, double relativeBound = AdaptivePathQuadrature.DefaultRelativeBound,
        int maxIntervals = AdaptivePathQuadrature.DefaultMaxIntervals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(evaluate);
        if (input.Length != baseline.Length)
        {
            throw new ArgumentException($"input has {input.Length} values, baseline {baseline.Length}.", nameof(baseline));
        }
        var displacement = new double[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            displacement[i] = (double)input[i] - baseline[i];
        }
        var points = new Dictionary<double, PathPoint>();
        var rule = AdaptivePathQuadrature.Build(alphas =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var evaluated = evaluate(alphas.Select(alpha => PointAt(input, baseline, alpha)).ToList(), cancellationToken);
            if (evaluated.Count != alphas.Count)
            {
                throw new InvalidOperationException($"the evaluator returned {evaluated.Count} results for {alphas.Count} points.");
            }
            var samples = new PathSample[alphas.Count];
            for (var k = 0; k < alphas.Count; k++)
            {
                var gradient = evaluated[k].Gradient;
                if (gradient.Length != input.Length)
                {
                    throw new InvalidOperationException($"the evaluator returned a gradient of {gradient.Length} values for {input.Length} inputs.");
                }
                // df/dα = ∇f · (x − x'), the integrand whose Simpson sums are exactly the attribution sums.
                var slope = 0.0;
                for (var i = 0; i < gradient.Length; i++)
                {
                    slope += displacement[i] * gradient[i];
                }
                points.Add(alphas[k], evaluated[k]);
                samples[k] = new PathSample(evaluated[k].Value, slope);
            }
            return samples;
        }, relativeBound, maxIntervals);
        return new AdaptiveIntegratedGradientsResult(Accumulate(input, baseline, rule.Quadrature, alpha => points[alpha]), rule);
    }

    private static IntegratedGradientsResult Accumulate(float[] input, float[] baseline, PathQuadrature quadrature, Func<double, PathPoint> at)
    {
        var averageGradient = new double[input.Length];
        for (var k = 0; k < quadrature.Nodes.Length; k++)
        {
            var gradient = at(quadrature.Nodes[k]).Gradient;
            if (gradient.Length != input.Length)
            {
                throw new InvalidOperationException($"the evaluator returned a gradient of {gradient.Length} values for {input.Length} inputs.");
            }
            var weight = quadrature.Weights[k];
            for (var i = 0; i < averageGradient.Length; i++)
            {
                averageGradient[i] += weight * gradient[i];
            }
        }
        var attributions = new double[input.Length];
        var sum = 0.0;
        for (var i = 0; i < attributions.Length; i++)
        {
            attributions[i] = ((double)input[i] - baseline[i]) * averageGradient[i];
            sum += attributions[i];
        }
        var completeness = CompletenessCheck.Of(at(1.0).Value, at(0.0).Value, sum);
        return new IntegratedGradientsResult(attributions, completeness);
    }

    /// <summary>x' + α(x − x'), exactly x' at α = 0 and exactly x at α = 1.</summary>
    public static float[] PointAt(float[] input, float[] baseline, double alpha)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(baseline);
        if (alpha == 1.0)
        {
            return (float[])input.Clone();
        }
        var point = new float[input.Length];
        for (var i = 0; i < point.Length; i++)
        {
            point[i] = (float)(baseline[i] + alpha * ((double)input[i] - baseline[i]));
        }
        return point;
    }
}

/// <summary>Gradient × input: gᵢ(x) · (xᵢ − rᵢ) with a reference r (zero for the classic form, or a baseline).</summary>
public static class GradientTimesInput
{
    public static double[] Compute(float[] input, float[] gradient, float[]? reference = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != input.Length || (reference is not null && reference.Length != input.Length))
        {
            throw new ArgumentException($"input, gradient and reference lengths differ: {input.Length}, {gradient.Length}, {reference?.Length}.", nameof(gradient));
        }
        var result = new double[input.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (double)gradient[i] * ((double)input[i] - (reference is null ? 0.0 : reference[i]));
        }
        return result;
    }
}

/// <summary>Per-token scores from per-element attributions over [tokens × dimension].</summary>
public static class TokenScores
{
    /// <summary>Σ over the dimension of each token's row: signed, so opposing coordinates cancel as they do in f.</summary>
    public static double[] SumPerToken(double[] attributions, int dimension)
    {
        ArgumentNullException.ThrowIfNull(attributions);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (attributions.Length % dimension != 0)
        {
            throw new ArgumentException($"{attributions.Length} values are not whole rows of {dimension}.", nameof(attributions));
        }
        var scores = new double[attributions.Length / dimension];
        for (var t = 0; t < scores.Length; t++)
        {
            var sum = 0.0;
            for (var k = 0; k < dimension; k++)
            {
                sum += attributions[t * dimension + k];
            }
            scores[t] = sum;
        }
        return scores;
    }

    /// <summary>For display only: scores divided by the largest |score|, so they lie in [−1, 1] (all zero stays zero).</summary>
    public static double[] NormalizeByMaxAbs(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var max = scores.Count == 0 ? 0 : scores.Max(Math.Abs);
        return scores.Select(s => max == 0 ? 0 : s / max).ToArray();
    }
}
