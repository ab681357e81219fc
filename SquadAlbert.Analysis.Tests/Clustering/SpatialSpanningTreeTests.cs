using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Tests.Clustering;

public class SpatialSpanningTreeTests
{
    public static TheoryData<string, int, int, int> Sets() => new()
    {
        { "uniform", 1, 2, 5 },
        { "uniform", 2, 2, 1 },
        { "uniform", 3, 3, 2 },
        { "blobs", 4, 2, 5 },
        { "blobs", 5, 2, 15 },
        { "blobs", 6, 1, 4 },
        { "duplicates", 7, 2, 5 },
        { "duplicates", 8, 2, 2 },
        { "duplicates", 9, 3, 8 },
        { "grid", 10, 2, 5 },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Spatial_tree_is_the_dense_Prim_tree(string kind, int seed, int dimension, int k)
    {
        var data = Make(kind, seed, dimension, 700);
        var dense = MutualReachability.SpanningTree(data, k, SpanningTreeMethod.Dense);
        var spatial = MutualReachability.SpanningTree(data, k, SpanningTreeMethod.Spatial);
        Assert.Equal(dense.Select(e => e.Distance).Order(), spatial.Select(e => e.Distance).Order());
        if (kind != "grid")
        {
            // Exact float ties between different pairs of points (a grid) may pick another tree of the same weights.
            Assert.Equal(dense, spatial);
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Spatial_and_dense_labels_agree(string kind, int seed, int dimension, int k)
    {
        var data = Make(kind, seed, dimension, 900);
        var options = new HdbscanOptions { MinClusterSize = Math.Max(2, k), MinSamples = k };
        var dense = Hdbscan.Fit(data, options, SpanningTreeMethod.Dense);
        var spatial = Hdbscan.Fit(data, options, SpanningTreeMethod.Spatial);
        if (kind == "grid")
        {
            Assert.Equal(1.0, ClusteringAgreement.AdjustedRandIndex(dense.Labels, spatial.Labels), 12);
            return;
        }
        Assert.Equal(dense.Labels, spatial.Labels);
        Assert.Equal(dense.Probabilities, spatial.Probabilities);
        Assert.Equal(dense.OutlierScores, spatial.OutlierScores);
    }

    private static RowMatrix Make(string kind, int seed, int dimension, int n)
    {
        var random = new Random(seed);
        var values = new float[n * dimension];
        var centres = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextDouble() * 40).ToArray()).ToArray();
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < dimension; c++)
            {
                values[(i * dimension) + c] = kind switch
                {
                    "uniform" => (float)(random.NextDouble() * 10),
                    "grid" => random.Next(12),
                    _ => (float)(centres[i % centres.Length][c] + (Normal(random) * (1 + (i % 3)))),
                };
            }
        }
        if (kind == "duplicates")
        {
            // Exact copies: single rows, pairs and a group larger than k, scattered over the index range.
            for (var i = 0; i < n / 4; i++)
            {
                var source = random.Next(n / 10);
                var target = (n / 10) + random.Next(n - (n / 10));
                Array.Copy(values, source * dimension, values, target * dimension, dimension);
            }
        }
        return new RowMatrix(values, n, dimension);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
