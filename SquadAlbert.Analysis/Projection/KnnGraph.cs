namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// The k nearest neighbours of every point, nearest first, as umap-learn holds them: each point is its own first
/// neighbour at distance 0, so <see cref="NeighbourCount"/> counts the point itself (umap-learn's n_neighbors).
/// </summary>
public sealed class KnnGraph
{
    public KnnGraph(int[] indices, float[] distances, int pointCount, int neighbourCount)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(distances);
        if (indices.Length != (long)pointCount * neighbourCount || distances.Length != indices.Length)
        {
            throw new ArgumentException($"A {pointCount} x {neighbourCount} graph needs {pointCount * neighbourCount} indices and distances.");
        }
        Indices = indices;
        Distances = distances;
        PointCount = pointCount;
        NeighbourCount = neighbourCount;
    }

    /// <summary>Row-major <see cref="PointCount"/> x <see cref="NeighbourCount"/> neighbour indices; −1 where a point has fewer.</summary>
    public int[] Indices { get; }

    /// <summary>Distances matching <see cref="Indices"/>, ascending along each row.</summary>
    public float[] Distances { get; }

    public int PointCount { get; }

    public int NeighbourCount { get; }

    public ReadOnlySpan<int> NeighboursOf(int point) => Indices.AsSpan(point * NeighbourCount, NeighbourCount);

    public ReadOnlySpan<float> DistancesOf(int point) => Distances.AsSpan(point * NeighbourCount, NeighbourCount);

    /// <summary>Fraction of this graph's neighbours (self excluded) that <paramref name="reference"/> also lists.</summary>
    public double RecallAgainst(KnnGraph reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.PointCount != PointCount || reference.NeighbourCount != NeighbourCount)
        {
            throw new ArgumentException("Recall needs graphs of the same shape.", nameof(reference));
        }
        long found = 0;
        long total = 0;
        for (var i = 0; i < PointCount; i++)
        {
            var expected = new HashSet<int>(reference.NeighboursOf(i).ToArray());
            expected.Remove(i);
            total += expected.Count;
            foreach (var neighbour in NeighboursOf(i))
            {
                if (neighbour != i && expected.Contains(neighbour))
                {
                    found++;
                }
            }
        }
        return total == 0 ? 1.0 : (double)found / total;
    }
}
