using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>UMAP's choice of neighbour search: exact while brute force is affordable, NN-descent beyond.</summary>
public static class KnnGraphBuilder
{
    public static KnnGraph Build(RowMatrix data, int neighbourCount, DistanceMetric metric, int exactThreshold, int seed,
        bool parallel, NearestNeighbourDescentOptions? descentOptions = null) =>
        data.Rows <= exactThreshold
            ? ExactKnn.Build(data, neighbourCount, metric, parallel)
            : NearestNeighbourDescent.Build(data, neighbourCount, metric, seed, parallel, descentOptions);
}
