namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// The low-dimensional similarity 1 / (1 + a·x^(2b)) that UMAP optimises, with a and b fitted as umap-learn's
/// find_ab_params does: least squares against the target that is 1 up to min_dist and exp(−(x − min_dist)/spread)
/// beyond, sampled at 300 points on [0, 3·spread]. Fitted here by Levenberg–Marquardt from (1, 1), as scipy's
/// curve_fit starts.
/// </summary>
public static class UmapCurve
{
    private const int SampleCount = 300;

    public static (double A, double B) FitAb(double spread, double minDist)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spread);
        ArgumentOutOfRangeException.ThrowIfNegative(minDist);
        if (minDist > spread)
        {
            throw new ArgumentOutOfRangeException(nameof(minDist), minDist, $"min_dist must not exceed spread ({spread}).");
        }
        var xs = new double[SampleCount];
        var ys = new double[SampleCount];
        for (var i = 0; i < SampleCount; i++)
        {
            // numpy.linspace(0, 3 * spread, 300): both ends included.
            xs[i] = 3 * spread * i / (SampleCount - 1);
            ys[i] = xs[i] < minDist ? 1.0 : Math.Exp(-(xs[i] - minDist) / spread);
        }
        return LevenbergMarquardt(xs, ys);
    }

    public static double Curve(double x, double a, double b) => 1 / (1 + (a * Math.Pow(x, 2 * b)));

    private static (double A, double B) LevenbergMarquardt(double[] xs, double[] ys)
    {
        double a = 1, b = 1;
        var lambda = 1e-3;
        var cost = Cost(xs, ys, a, b);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            // Normal equations JᵀJ δ = −Jᵀr for the residuals r = f(x) − y.
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (var i = 0; i < xs.Length; i++)
            {
                var u = xs[i] > 0 ? Math.Pow(xs[i], 2 * b) : 0;
                var f = 1 / (1 + (a * u));
                var r = f - ys[i];
                var dA = -u * f * f;
                var dB = xs[i] > 0 ? -a * u * 2 * Math.Log(xs[i]) * f * f : 0;
                jaa += dA * dA;
                jab += dA * dB;
                jbb += dB * dB;
                ga += dA * r;
                gb += dB * r;
            }
            var improved = false;
            while (lambda < 1e12)
            {
                // Marquardt's scaling: damp each parameter by its own curvature.
                var maa = jaa * (1 + lambda);
                var mbb = jbb * (1 + lambda);
                var determinant = (maa * mbb) - (jab * jab);
                var stepA = -((mbb * ga) - (jab * gb)) / determinant;
                var stepB = -((maa * gb) - (jab * ga)) / determinant;
                var trialCost = Cost(xs, ys, a + stepA, b + stepB);
                if (double.IsFinite(trialCost) && trialCost < cost)
                {
                    var relativeChange = (cost - trialCost) / Math.Max(cost, 1e-300);
                    a += stepA;
                    b += stepB;
                    cost = trialCost;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = relativeChange > 1e-15;
                    break;
                }
                lambda *= 10;
            }
            if (!improved)
            {
                break;
            }
        }
        return (a, b);
    }

    private static double Cost(double[] xs, double[] ys, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var r = Curve(xs[i], a, b) - ys[i];
            sum += r * r;
        }
        return sum;
    }
}
