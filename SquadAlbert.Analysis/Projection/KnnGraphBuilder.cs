using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>UMAP's choice of neighbour search: exact while brute force is affordable, NN-descent beyond.</summary>
public static class KnnGraphBuilder
{
    public static KnnGraph Build(RowMatrix data, int neighbourCount, DistanceMetric metric, int exactThreshold, int seed,
        bool parallel, NearestNeighbourDescentOptions? descentOptions = null) =>
        data.Rows <= exactThreshold
            ? Exact(data, neighbourCount, metric, parallel)
            : NearestNeighbourDescent.Build(data, neighbourCount, metric, seed, parallel, descentOptions);

    /// <summary>
    /// The exact kNN graph from the shared brute-force engine (<see cref="ExactNeighbours"/>): every point first,
    /// at distance 0, then its k − 1 nearest other points, ties by index.
    /// </summary>
    /// <param name="neighbourCount">Neighbours per point, the point itself included (umap-learn's n_neighbors).</param>
    public static KnnGraph Exact(RowMatrix data, int neighbourCount, DistanceMetric metric, bool parallel = true)
    {
        ValidateNeighbourCount(data, neighbourCount);
        var search = new ExactNeighbours(data, metric);
        var others = search.SearchAll(neighbourCount - 1, parallel);
        var indices = new int[data.Rows * neighbourCount];
        var distances = new float[data.Rows * neighbourCount];
        for (var point = 0; point < data.Rows; point++)
        {
            var offset = point * neighbourCount;
            indices[offset] = point;
            var neighbours = others.IndicesOf(point);
            var keys = others.KeysOf(point);
            for (var i = 0; i < neighbours.Length; i++)
            {
                indices[offset + 1 + i] = neighbours[i];
                distances[offset + 1 + i] = search.ToDistance(keys[i]);
            }
        }
        return new KnnGraph(indices, distances, data.Rows, neighbourCount);
    }

    internal static void ValidateNeighbourCount(RowMatrix data, int neighbourCount)
    {
        if (neighbourCount < 2 || neighbourCount > data.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbourCount), neighbourCount,
                $"Need 2 <= neighbours (self included) <= points ({data.Rows}).");
        }
    }
}
