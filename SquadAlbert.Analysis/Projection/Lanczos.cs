namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Largest eigenpairs of a symmetric operator given only as y = A·x: Lanczos with full reorthogonalisation (and
/// against known eigenvectors to deflate), Rayleigh–Ritz on the tridiagonal matrix, explicit restarts from the sum
/// of the wanted Ritz vectors until every residual ‖A·y − θ·y‖ is under the tolerance.
/// </summary>
internal static class Lanczos
{
    private const ulong StartPurpose = 0x6c616e;

    /// <summary>The eigenvectors of the <paramref name="count"/> largest eigenvalues, largest first, orthogonal to <paramref name="deflate"/>.</summary>
    public static double[][] LargestEigenvectors(Action<double[], double[]> multiply, int n, int count, double[][] deflate,
        int seed, double tolerance, int maxRestarts)
    {
        var available = n - deflate.Length;
        if (count > available)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {available} eigenvectors remain after deflation.");
        }
        var steps = Math.Min(available, Math.Max(4 * count, 40));
        var random = RandomStreams.Stream(seed, StartPurpose);
        var start = new double[n];
        for (var i = 0; i < n; i++)
        {
            start[i] = random.NextGaussian();
        }
        double[][] ritz = [];
        for (var restart = 0; restart <= maxRestarts; restart++)
        {
            var (vectors, residuals) = Run(multiply, n, count, steps, deflate, start);
            ritz = vectors;
            if (residuals.All(r => r < tolerance))
            {
                break;
            }
            Array.Clear(start);
            foreach (var vector in ritz)
            {
                for (var i = 0; i < n; i++)
                {
                    start[i] += vector[i];
                }
            }
        }
        return ritz;
    }

    private static (double[][] Vectors, double[] Residuals) Run(Action<double[], double[]> multiply, int n, int count, int steps,
        double[][] deflate, double[] start)
    {
        var basis = new List<double[]>(steps);
        var alphas = new List<double>(steps);
        var betas = new List<double>(steps);
        var v = (double[])start.Clone();
        Orthogonalise(v, deflate, basis);
        SpectralInitialisation.Normalise(v);
        var w = new double[n];
        var lastBeta = 0.0;
        for (var j = 0; j < steps; j++)
        {
            basis.Add(v);
            multiply(v, w);
            var alpha = Dot(w, v);
            alphas.Add(alpha);
            for (var i = 0; i < n; i++)
            {
                w[i] -= (alpha * v[i]) + (j > 0 ? betas[j - 1] * basis[j - 1][i] : 0);
            }
            // Twice is enough (Kahan–Parlett) to keep the basis orthogonal to working precision.
            Orthogonalise(w, deflate, basis);
            Orthogonalise(w, deflate, basis);
            lastBeta = Math.Sqrt(Dot(w, w));
            if (j == steps - 1 || lastBeta < 1e-12)
            {
                break;
            }
            betas.Add(lastBeta);
            v = new double[n];
            for (var i = 0; i < n; i++)
            {
                v[i] = w[i] / lastBeta;
            }
        }
        var m = basis.Count;
        var tridiagonal = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            tridiagonal[(i * m) + i] = alphas[i];
            if (i + 1 < m)
            {
                tridiagonal[(i * m) + i + 1] = betas[i];
                tridiagonal[((i + 1) * m) + i] = betas[i];
            }
        }
        var (_, eigenvectors) = SymmetricEigen.Decompose(tridiagonal, m);
        var wanted = Math.Min(count, m);
        var vectors = new double[wanted][];
        var residuals = new double[wanted];
        for (var c = 0; c < wanted; c++)
        {
            var vector = new double[n];
            for (var b = 0; b < m; b++)
            {
                var weight = eigenvectors[(b * m) + c];
                var basisVector = basis[b];
                for (var i = 0; i < n; i++)
                {
                    vector[i] += weight * basisVector[i];
                }
            }
            vectors[c] = vector;
            // The Lanczos residual of a Ritz pair is |β_m · (last component of its tridiagonal eigenvector)|.
            residuals[c] = Math.Abs(lastBeta * eigenvectors[((m - 1) * m) + c]);
        }
        return (vectors, residuals);
    }

    private static void Orthogonalise(double[] w, double[][] deflate, List<double[]> basis)
    {
        foreach (var u in deflate)
        {
            Subtract(w, u);
        }
        foreach (var u in basis)
        {
            Subtract(w, u);
        }
    }

    private static void Subtract(double[] w, double[] u)
    {
        var projection = Dot(w, u);
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= projection * u[i];
        }
    }

    private static double Dot(double[] x, double[] y)
    {
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }
}
