using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// A fitted principal component analysis: the data mean and the top principal axes (unit rows of
/// <see cref="Components"/>, row-major <see cref="ComponentCount"/> x dimensions), strongest first.
/// </summary>
public sealed class PcaModel(float[] mean, float[] components, double[] explainedVariance, int componentCount)
{
    public float[] Mean { get; } = mean;

    public float[] Components { get; } = components;

    /// <summary>Variance along each component (unbiased, n − 1 denominator, as scikit-learn).</summary>
    public double[] ExplainedVariance { get; } = explainedVariance;

    public int ComponentCount { get; } = componentCount;

    /// <summary>Coordinates of each point along the components, after centring by the fitted mean.</summary>
    public RowMatrix Transform(RowMatrix data)
    {
        if (data.Columns != Mean.Length)
        {
            throw new ArgumentException($"The model was fitted on {Mean.Length} dimensions, not {data.Columns}.", nameof(data));
        }
        var result = new float[data.Rows * ComponentCount];
        var centred = new float[data.Columns];
        for (var i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);
            for (var c = 0; c < centred.Length; c++)
            {
                centred[c] = row[c] - Mean[c];
            }
            for (var k = 0; k < ComponentCount; k++)
            {
                result[(i * ComponentCount) + k] = VectorMath.Dot(centred, Components.AsSpan(k * data.Columns, data.Columns));
            }
        }
        return new RowMatrix(result, data.Rows, ComponentCount);
    }
}

/// <summary>
/// PCA by block power (subspace) iteration on the centred data, never forming the covariance: repeatedly
/// Q ← orth(Xcᵀ Xc Q) with a few extra vectors for faster convergence, then Rayleigh–Ritz on the small projected
/// covariance. Signs follow scikit-learn's convention: each component's largest-magnitude coordinate is positive.
/// </summary>
public static class Pca
{
    private const ulong StartPurpose = 0x706361;
    private const int Oversampling = 8;
    private const int MaxIterations = 300;

    public static PcaModel Fit(RowMatrix data, int componentCount, int seed = 0)
    {
        if (componentCount < 1 || componentCount > Math.Min(data.Columns, Math.Max(1, data.Rows - 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(componentCount), componentCount,
                $"Need 1 <= components <= min(dimensions {data.Columns}, points − 1 = {data.Rows - 1}).");
        }
        var n = data.Rows;
        var d = data.Columns;
        var mean = new float[d];
        var meanAccumulator = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (var c = 0; c < d; c++)
            {
                meanAccumulator[c] += row[c];
            }
        }
        for (var c = 0; c < d; c++)
        {
            mean[c] = (float)(meanAccumulator[c] / n);
        }
        var centred = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (var c = 0; c < d; c++)
            {
                centred[(i * d) + c] = row[c] - mean[c];
            }
        }
        var width = Math.Min(d, componentCount + Oversampling);
        var random = RandomStreams.Stream(seed, StartPurpose);
        // Basis vectors are the columns of the d x width matrix q, stored one vector per row for contiguity.
        var q = new double[width * d];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = random.NextGaussian();
        }
        Orthonormalise(q, width, d);
        double[] previous = [];
        double[] values = [];
        double[] ritzVectors = [];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var product = CovarianceTimes(centred, n, d, q, width);
            // Rayleigh–Ritz: the covariance restricted to span(q) is qᵀ C q.
            var projected = new double[width * width];
            for (var a = 0; a < width; a++)
            {
                for (var b = 0; b < width; b++)
                {
                    double sum = 0;
                    for (var c = 0; c < d; c++)
                    {
                        sum += q[(a * d) + c] * product[(b * d) + c];
                    }
                    projected[(a * width) + b] = sum;
                }
            }
            (values, ritzVectors) = SymmetricEigen.Decompose(projected, width);
            var rotated = Rotate(q, ritzVectors, width, d);
            var converged = previous.Length > 0 && Enumerable.Range(0, componentCount)
                .All(k => Math.Abs(values[k] - previous[k]) <= 1e-10 * Math.Max(values[0], 1e-300));
            previous = values;
            q = rotated;
            if (converged)
            {
                break;
            }
            q = Rotate(product, ritzVectors, width, d);
            Orthonormalise(q, width, d);
        }
        var components = new float[componentCount * d];
        for (var k = 0; k < componentCount; k++)
        {
            var axis = q.AsSpan(k * d, d);
            var largest = 0;
            for (var c = 1; c < d; c++)
            {
                if (Math.Abs(axis[c]) > Math.Abs(axis[largest]))
                {
                    largest = c;
                }
            }
            var sign = axis[largest] < 0 ? -1 : 1;
            for (var c = 0; c < d; c++)
            {
                components[(k * d) + c] = (float)(sign * axis[c]);
            }
        }
        return new PcaModel(mean, components, values[..componentCount], componentCount);
    }

    /// <summary>C·qᵢ for every basis vector, with C = Xcᵀ Xc / (n − 1), as Xcᵀ (Xc qᵢ).</summary>
    private static double[] CovarianceTimes(float[] centred, int n, int d, double[] q, int width)
    {
        var result = new double[width * d];
        var partials = new Lock();
        Parallel.For(0, n, () => new double[width * d], (i, _, local) =>
        {
            var row = centred.AsSpan(i * d, d);
            for (var b = 0; b < width; b++)
            {
                double projection = 0;
                for (var c = 0; c < d; c++)
                {
                    projection += row[c] * q[(b * d) + c];
                }
                for (var c = 0; c < d; c++)
                {
                    local[(b * d) + c] += projection * row[c];
                }
            }
            return local;
        }, local =>
        {
            lock (partials)
            {
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] += local[i];
                }
            }
        });
        var denominator = Math.Max(1, n - 1);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= denominator;
        }
        return result;
    }

    /// <summary>New basis vector k = Σ_b vectors[b, k] · basis_b.</summary>
    private static double[] Rotate(double[] basis, double[] vectors, int width, int d)
    {
        var result = new double[width * d];
        for (var k = 0; k < width; k++)
        {
            for (var b = 0; b < width; b++)
            {
                var weight = vectors[(b * width) + k];
                for (var c = 0; c < d; c++)
                {
                    result[(k * d) + c] += weight * basis[(b * d) + c];
                }
            }
        }
        return result;
    }

    /// <summary>Modified Gram–Schmidt, twice for stability; a collapsed vector is replaced by a unit axis.</summary>
    private static void Orthonormalise(double[] q, int width, int d)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var k = 0; k < width; k++)
            {
                var vector = q.AsSpan(k * d, d);
                for (var j = 0; j < k; j++)
                {
                    VectorMath.RemoveComponent(vector, q.AsSpan(j * d, d));
                }
                if (!VectorMath.TryNormalizeInPlace(vector, 1e-12))
                {
                    vector.Clear();
                    vector[k % d] = 1;
                    k--;
                    continue;
                }
            }
        }
    }
}
