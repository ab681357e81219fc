using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Input points in the form the neighbour searches compare fastest: rows are unit-normalised for cosine, so that
/// both metrics reduce to one SIMD kernel. Searches rank by a monotone surrogate (squared distance, or 1 − dot)
/// and convert to the true distance only for the final graph.
/// </summary>
internal sealed class PreparedPoints
{
    private PreparedPoints(RowMatrix matrix, DistanceMetric metric)
    {
        Matrix = matrix;
        Metric = metric;
    }

    public RowMatrix Matrix { get; }

    public DistanceMetric Metric { get; }

    public int Count => Matrix.Rows;

    public static PreparedPoints From(RowMatrix data, DistanceMetric metric)
    {
        if (metric == DistanceMetric.Euclidean)
        {
            return new PreparedPoints(data, metric);
        }
        return new PreparedPoints(VectorMath.NormalizedRows(data), metric);
    }

    /// <summary>Monotone in the true distance; cheap to compute.</summary>
    public float Surrogate(int i, int j) => Surrogate(Matrix.Row(i), Matrix.Row(j));

    public float Surrogate(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Metric == DistanceMetric.Euclidean
        ? VectorMath.SquaredEuclidean(x, y)
        : MathF.Max(0f, 1f - VectorMath.Dot(x, y));

    public float ToDistance(float surrogate) => Metric == DistanceMetric.Euclidean ? MathF.Sqrt(surrogate) : surrogate;
}
