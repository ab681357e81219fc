using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Largest eigenpairs of a symmetric operator given only as y = A·x, by thick-restarted Lanczos (Wu &amp; Simon 2000)
/// in its explicit form: a Krylov basis is grown with full reorthogonalisation (against known eigenvectors too, to
/// deflate them), Rayleigh–Ritz on the projected matrix Vᵀ A V gives Ritz pairs, and when the basis is full it is
/// shrunk to the best half of the Ritz vectors plus the common direction of their residuals, so that progress is
/// kept across restarts. Stops when every wanted residual ‖A·x − θ·x‖ is under the tolerance.
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
        var capacity = Math.Min(available, Math.Max((4 * count) + 20, 30));
        var keep = Math.Max(count, capacity / 2);
        var random = RandomStreams.Stream(seed, StartPurpose);
        var basis = new List<double[]>(capacity);
        var products = new List<double[]>(capacity);
        var next = new double[n];
        for (var i = 0; i < n; i++)
        {
            next[i] = random.NextGaussian();
        }
        double[][] ritz = [];
        for (var restart = 0; restart <= maxRestarts; restart++)
        {
            // Grow: each new direction is A times the latest one, orthogonalised (Krylov continuation).
            while (next is not null && basis.Count < capacity)
            {
                Orthogonalise(next, deflate, basis);
                Orthogonalise(next, deflate, basis);
                if (!VectorMath.TryNormalizeInPlace(next, 1e-10))
                {
                    break;
                }
                basis.Add(next);
                var product = new double[n];
                multiply(next, product);
                products.Add(product);
                next = (double[])product.Clone();
            }
            var m = basis.Count;
            var projected = new double[m * m];
            for (var i = 0; i < m; i++)
            {
                for (var j = i; j < m; j++)
                {
                    var value = (VectorMath.Dot(basis[i], products[j]) + VectorMath.Dot(basis[j], products[i])) / 2;
                    projected[(i * m) + j] = value;
                    projected[(j * m) + i] = value;
                }
            }
            var (values, vectors) = SymmetricEigen.Decompose(projected, m);
            var kept = Math.Min(keep, m);
            var newBasis = Combine(basis, vectors, m, kept, n);
            var newProducts = Combine(products, vectors, m, kept, n);
            ritz = newBasis[..Math.Min(count, kept)];
            double[]? worstResidual = null;
            var worstNorm = 0.0;
            for (var c = 0; c < Math.Min(count, kept); c++)
            {
                var residual = new double[n];
                for (var i = 0; i < n; i++)
                {
                    residual[i] = newProducts[c][i] - (values[c] * newBasis[c][i]);
                }
                var norm = Math.Sqrt(VectorMath.Dot(residual, residual));
                if (norm > worstNorm)
                {
                    worstNorm = norm;
                    worstResidual = residual;
                }
            }
            if (worstNorm < tolerance || m < capacity)
            {
                // Converged, or the Krylov space is invariant (exhausted): the Ritz pairs are exact.
                break;
            }
            basis = [.. newBasis];
            products = [.. newProducts];
            next = worstResidual;
        }
        return ritz;
    }

    /// <summary>The first <paramref name="kept"/> combinations Σ_b vectors[b, c] · source_b.</summary>
    private static double[][] Combine(List<double[]> source, double[] vectors, int m, int kept, int n)
    {
        var result = new double[kept][];
        for (var c = 0; c < kept; c++)
        {
            var combined = new double[n];
            for (var b = 0; b < m; b++)
            {
                var weight = vectors[(b * m) + c];
                var vector = source[b];
                for (var i = 0; i < n; i++)
                {
                    combined[i] += weight * vector[i];
                }
            }
            result[c] = combined;
        }
        return result;
    }

    private static void Orthogonalise(double[] w, double[][] deflate, List<double[]> basis)
    {
        foreach (var u in deflate)
        {
            VectorMath.RemoveComponent(w, u);
        }
        foreach (var u in basis)
        {
            VectorMath.RemoveComponent(w, u);
        }
    }
}
