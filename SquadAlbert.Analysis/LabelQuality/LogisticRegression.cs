namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>A fitted logistic regression: P(y = 1 | x) = σ(intercept + Σ coefficients·x).</summary>
/// <param name="Converged">The gradient's largest component fell below the tolerance times the number of rows.</param>
/// <param name="Objective">The penalised negative log-likelihood at the fit (see <see cref="LogisticRegression"/>).</param>
public sealed record LogisticFit(IReadOnlyList<double> Coefficients, double Intercept, int Iterations, bool Converged, double Objective);

/// <summary>
/// L2-penalised logistic regression fitted by Newton's method (iteratively reweighted least squares), for a handful of
/// features and any number of rows. It minimises
/// <code>
/// J(w, b) = Σᵢ [log(1 + e^zᵢ) − yᵢ·zᵢ] + (λ/2)·‖w‖²,   zᵢ = b + w·xᵢ
/// </code>
/// — the sum, not the mean, of the log-losses, as scikit-learn's <c>C = 1/λ</c> does, so the penalty matters on a tiny
/// fit and fades on a large one; the intercept b is not penalised. Each Newton step solves H·Δ = ∇J with
/// ∇J = (Σ(pᵢ − yᵢ), Σ(pᵢ − yᵢ)·xᵢ + λw) and H = Σ pᵢ(1 − pᵢ)·[1 xᵢ][1 xᵢ]ᵀ + λ·diag(0, I), and halves the step
/// until J does not increase, so no iteration makes the fit worse. J is convex, so a point where ∇J = 0 is the optimum.
/// </summary>
public static class LogisticRegression
{
    public const int DefaultMaxIterations = 100;

    /// <summary>Largest |∂J| accepted as zero.</summary>
    public const double DefaultTolerance = 1e-9;

    private const int MaxStepHalvings = 50;

    /// <summary>Relative change of J below which two values of J are the same as far as double precision can tell.</summary>
    private const double RoundingSlack = 1e-15;

    /// <summary>1 / (1 + e^−z), without overflow for large |z|.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>J(w, b) of the class remarks.</summary>
    public static double Objective(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, IReadOnlyList<double> coefficients, double intercept, double l2)
    {
        var features = Check(rows, labels, l2);
        CheckLength(coefficients, features);
        double sum = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var z = Logit(rows[i], coefficients, intercept);
            // log(1 + e^z) without overflow.
            sum += (z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z))) - (labels[i] ? z : 0);
        }
        return sum + (l2 / 2 * coefficients.Sum(w => w * w));
    }

    /// <summary>∇J at (w, b): the intercept's component first, then one per coefficient.</summary>
    public static double[] Gradient(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, IReadOnlyList<double> coefficients, double intercept, double l2)
    {
        var features = Check(rows, labels, l2);
        CheckLength(coefficients, features);
        var gradient = new double[features + 1];
        for (var i = 0; i < rows.Count; i++)
        {
            var residual = Sigmoid(Logit(rows[i], coefficients, intercept)) - (labels[i] ? 1 : 0);
            gradient[0] += residual;
            for (var j = 0; j < features; j++)
            {
                gradient[j + 1] += residual * rows[i][j];
            }
        }
        for (var j = 0; j < features; j++)
        {
            gradient[j + 1] += l2 * coefficients[j];
        }
        return gradient;
    }

    /// <summary>b + w·x.</summary>
    public static double Logit(IReadOnlyList<double> row, IReadOnlyList<double> coefficients, double intercept)
    {
        var z = intercept;
        for (var j = 0; j < coefficients.Count; j++)
        {
            z += coefficients[j] * row[j];
        }
        return z;
    }

    /// <param name="rows">One feature vector per example, all of the same length.</param>
    /// <param name="labels">True for the positive class.</param>
    /// <param name="l2">λ ≥ 0; with 0, separable data has no finite optimum: the coefficients grow until the probabilities
    /// round to 0 and 1 (the fits of this project use λ &gt; 0).</param>
    /// <exception cref="ArgumentException">Rows of different lengths, a non-finite value, λ &lt; 0, or no rows.</exception>
    /// <exception cref="InvalidOperationException">The Newton system is singular: with λ = 0, a constant or collinear feature.</exception>
    public static LogisticFit Fit(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double l2,
        int maxIterations = DefaultMaxIterations, double tolerance = DefaultTolerance)
    {
        var features = Check(rows, labels, l2);
        var size = features + 1;
        var theta = new double[size]; // intercept, then the coefficients
        var objective = Objective(rows, labels, Coefficients(theta), theta[0], l2);
        // The gradient sums over the rows, and so does its rounding error: a fixed bound that a few thousand rows reach is
        // below what tens of thousands can represent. Bound the mean gradient instead.
        tolerance *= rows.Count;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var gradient = Gradient(rows, labels, Coefficients(theta), theta[0], l2);
            if (gradient.Max(Math.Abs) < tolerance)
            {
                return new LogisticFit(Coefficients(theta), theta[0], iteration - 1, true, objective);
            }
            var step = Solve(Hessian(rows, theta, l2), gradient);
            var length = 1.0;
            var improved = false;
            for (var halving = 0; halving < MaxStepHalvings && !improved; halving++, length /= 2)
            {
                var candidate = theta.Select((value, j) => value - (length * step[j])).ToArray();
                var candidateObjective = Objective(rows, labels, Coefficients(candidate), candidate[0], l2);
                // Within rounding of J counts as no worse: near the optimum a Newton step lowers J by less than J's last bit.
                if (candidateObjective <= objective + (RoundingSlack * Math.Abs(objective)))
                {
                    (theta, objective, improved) = (candidate, candidateObjective, true);
                }
            }
            if (!improved)
            {
                // No step lowers J any further in double precision: going on would not move.
                return new LogisticFit(Coefficients(theta), theta[0], iteration, false, objective);
            }
        }
        var last = Gradient(rows, labels, Coefficients(theta), theta[0], l2);
        return new LogisticFit(Coefficients(theta), theta[0], maxIterations, last.Max(Math.Abs) < tolerance, objective);
    }

    private static double[] Coefficients(double[] theta) => theta[1..];

    private static double[,] Hessian(IReadOnlyList<double[]> rows, double[] theta, double l2)
    {
        var size = theta.Length;
        var hessian = new double[size, size];
        var coefficients = Coefficients(theta);
        var augmented = new double[size];
        augmented[0] = 1;
        foreach (var row in rows)
        {
            var p = Sigmoid(Logit(row, coefficients, theta[0]));
            var weight = p * (1 - p);
            row.CopyTo(augmented, 1);
            for (var a = 0; a < size; a++)
            {
                for (var b = 0; b < size; b++)
                {
                    hessian[a, b] += weight * augmented[a] * augmented[b];
                }
            }
        }
        for (var j = 1; j < size; j++)
        {
            hessian[j, j] += l2;
        }
        return hessian;
    }

    /// <summary>x with A·x = b, by Gaussian elimination with partial pivoting (A is small and symmetric positive definite
    /// when the fit is well posed).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        var scale = 0.0;
        foreach (var value in a)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }
        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var row = column + 1; row < n; row++)
            {
                if (Math.Abs(m[row, column]) > Math.Abs(m[pivot, column]))
                {
                    pivot = row;
                }
            }
            if (Math.Abs(m[pivot, column]) <= 1e-13 * Math.Max(scale, double.Epsilon))
            {
                throw new InvalidOperationException(
                    $"The logistic regression's Newton system is singular at feature {column - 1} (−1 = the intercept): a constant or collinear feature; fit with l2 > 0.");
            }
            if (pivot != column)
            {
                for (var k = 0; k < n; k++)
                {
                    (m[column, k], m[pivot, k]) = (m[pivot, k], m[column, k]);
                }
                (x[column], x[pivot]) = (x[pivot], x[column]);
            }
            for (var row = column + 1; row < n; row++)
            {
                var factor = m[row, column] / m[column, column];
                for (var k = column; k < n; k++)
                {
                    m[row, k] -= factor * m[column, k];
                }
                x[row] -= factor * x[column];
            }
        }
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = x[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= m[row, k] * x[k];
            }
            x[row] = sum / m[row, row];
        }
        return x;
    }

    private static int Check(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double l2)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A logistic regression needs at least one row.", nameof(rows));
        }
        if (rows.Count != labels.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {labels.Count} labels.", nameof(labels));
        }
        if (!(l2 >= 0) || double.IsInfinity(l2))
        {
            throw new ArgumentException($"The L2 penalty must be a finite number ≥ 0, got {l2}.", nameof(l2));
        }
        var features = rows[0].Length;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != features)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} features, row 0 has {features}.", nameof(rows));
            }
            var bad = Array.FindIndex(rows[i], v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException($"Row {i}, feature {bad} is {rows[i][bad]}; every value must be finite.", nameof(rows));
            }
        }
        return features;
    }

    private static void CheckLength(IReadOnlyList<double> coefficients, int features)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count != features)
        {
            throw new ArgumentException($"{coefficients.Count} coefficients for {features} features.", nameof(coefficients));
        }
    }
}
