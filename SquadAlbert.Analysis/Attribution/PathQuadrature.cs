namespace SquadAlbert.Analysis.Attribution;

/// <summary>How the integrated-gradients path integral ∫₀¹ ∂f/∂x(x' + α(x − x')) dα is discretised.</summary>
public enum IntegrationRule
{
    /// <summary>Composite trapezoid rule on <c>steps</c> equal intervals: steps + 1 gradient evaluations, the two
    /// path ends included.</summary>
    Trapezoid,

    /// <summary>Gauss–Legendre rule with <c>steps</c> nodes (exact for polynomial integrands of degree 2·steps − 1);
    /// the path ends are evaluated in addition, for the completeness check.</summary>
    GaussLegendre,

    /// <summary>Adaptive composite Simpson (<see cref="AdaptivePathQuadrature"/>): panels are bisected, reusing every gradient
    /// already computed, until the relative completeness error is under <see cref="AdaptivePathQuadrature.DefaultRelativeBound"/>
    /// (1 %) or <c>steps</c>, here the MAXIMUM number of intervals, is reached. The result's key records the intervals used
    /// (gradient evaluations − 1). Not a fixed rule: <see cref="PathQuadrature.Create"/> refuses it.</summary>
    Adaptive,
}

/// <summary>Nodes α in [0, 1] (ascending) and weights summing to 1 of a quadrature rule on the unit interval.</summary>
public sealed record PathQuadrature(IntegrationRule Rule, int Steps, double[] Nodes, double[] Weights)
{
    public static PathQuadrature Create(IntegrationRule rule, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return rule switch
        {
            IntegrationRule.Trapezoid => Trapezoid(steps),
            IntegrationRule.GaussLegendre => GaussLegendre(steps),
            IntegrationRule.Adaptive => throw new ArgumentException("the adaptive rule has no fixed nodes; use IntegratedGradients.ComputeAdaptive.", nameof(rule)),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown integration rule"),
        };
    }

    private static PathQuadrature Trapezoid(int intervals)
    {
        var nodes = new double[intervals + 1];
        var weights = new double[intervals + 1];
        for (var k = 0; k <= intervals; k++)
        {
            nodes[k] = (double)k / intervals;
            weights[k] = (k == 0 || k == intervals ? 0.5 : 1.0) / intervals;
        }
        return new PathQuadrature(IntegrationRule.Trapezoid, intervals, nodes, weights);
    }

    /// <summary>Roots of the Legendre polynomial Pₙ by Newton's method from Tricomi's initial guesses, mapped from
    /// [−1, 1] to [0, 1]; weights 2 / ((1 − x²) Pₙ'(x)²), halved by the mapping.</summary>
    private static PathQuadrature GaussLegendre(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            var x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative;
            var iteration = 0;
            while (true)
            {
                var (value, slope) = Legendre(n, x);
                derivative = slope;
                var delta = value / slope;
                x -= delta;
                if (Math.Abs(delta) < 1e-15 || ++iteration == 100)
                {
                    derivative = Legendre(n, x).Derivative;
                    break;
                }
            }
            // cos(...) runs from near 1 down to near −1, so (1 − x) / 2 ascends.
            nodes[i] = (1 - x) / 2;
            weights[i] = 1 / ((1 - x * x) * derivative * derivative);
        }
        return new PathQuadrature(IntegrationRule.GaussLegendre, n, nodes, weights);
    }

    /// <summary>Pₙ(x) and Pₙ'(x) by the three-term recurrence.</summary>
    private static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        for (var j = 2; j <= n; j++)
        {
            (previous, current) = (current, ((2 * j - 1) * x * current - (j - 1) * previous) / j);
        }
        if (n == 1)
        {
            return (x, 1);
        }
        return (current, n * (x * current - previous) / (x * x - 1));
    }
}
