using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;
using SquadAlbert.Testing;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Projection;

/// <summary>The quality gates: UMAP must keep neighbourhoods trustworthy (k = 10) on small reference sets.</summary>
public class UmapQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Gaussian_clusters_embed_trustworthily()
    {
        // 10 clusters x 100 points in 50-D; centres ~ N(0, 4) per coordinate; within a cluster the standard deviation
        // decays as 0.9^c along coordinate c (1 down to 0.006), so each cluster has a few dominant directions, as
        // clusters of real features do.
        var scales = Enumerable.Range(0, 50).Select(c => Math.Pow(0.9, c)).ToArray();
        var (data, _) = GaussianClusters.Generate(clusters: 10, pointsPerCluster: 100, dimensions: 50, centreSpread: 2, seed: 2024, scales);
        var (umap, pca) = Measure("gaussian clusters 10x100x50, decaying spectrum", data);
        Assert.True(umap >= 0.97, $"UMAP trustworthiness {umap:F4} < 0.97");
        Assert.True(umap > pca);
    }

    [Fact]
    public void Isotropic_gaussian_clusters_embed_more_trustworthily_than_pca_and_than_cluster_labels_alone()
    {
        // Isotropic 50-D blobs have no within-cluster structure a plane can keep: distances inside a blob
        // concentrate, so neighbour ranks there are nearly arbitrary. The control below separates the clusters
        // perfectly and places points at random inside them; UMAP must beat it and PCA clearly (it scores about
        // 0.970 against the control's 0.96 and PCA's 0.924).
        var (data, labels) = GaussianClusters.Generate(clusters: 10, pointsPerCluster: 100, dimensions: 50, centreSpread: 2, seed: 2024);
        var (umap, pca) = Measure("gaussian clusters 10x100x50, isotropic", data);
        var random = new SplitMix64(5);
        var control = new float[data.Rows * 2];
        for (var i = 0; i < data.Rows; i++)
        {
            control[i * 2] = (100 * labels[i]) + random.NextFloat();
            control[(i * 2) + 1] = random.NextFloat();
        }
        var controlTrust = Trustworthiness.Compute(data, new RowMatrix(control, data.Rows, 2), 10);
        output.WriteLine($"control (clusters apart, random inside): {controlTrust:F4}");
        Assert.True(umap > controlTrust + 0.005, $"UMAP {umap:F4} does not beat the cluster-label control {controlTrust:F4}");
        Assert.True(umap >= pca + 0.03, $"UMAP {umap:F4} is not clearly above PCA {pca:F4}");
    }

    [Fact]
    public void Iris_like_set_embeds_trustworthily()
    {
        var (umap, _) = Measure("iris-like 150x4", IrisLike(seed: 7));
        Assert.True(umap >= 0.97, $"UMAP trustworthiness {umap:F4} < 0.97");
    }

    [Fact]
    public void Parallel_mode_and_cosine_metric_also_embed_trustworthily()
    {
        var iris = IrisLike(seed: 7);
        var hogwild = UmapProjector.Fit(iris, new UmapOptions { Seed = 1 });
        var hogwildTrust = Trustworthiness.Compute(iris, hogwild.Embedding, 10);
        // Cosine on the same clusters through NN-descent (threshold 0), judged by cosine neighbourhoods.
        var (clusters, _) = GaussianClusters.Generate(clusters: 5, pointsPerCluster: 60, dimensions: 20, centreSpread: 2, seed: 9);
        var cosine = UmapProjector.Fit(clusters, new UmapOptions { Metric = DistanceMetric.Cosine, ExactNeighbourThreshold = 0, Seed = 2 });
        var cosineTrust = Trustworthiness.Compute(clusters, cosine.Embedding, 10, DistanceMetric.Cosine);
        output.WriteLine($"iris-like, parallel (Hogwild) mode: {hogwildTrust:F4}; 5x60x20 clusters, cosine via NN-descent: {cosineTrust:F4}");
        Assert.True(hogwildTrust >= 0.97, $"parallel mode trustworthiness {hogwildTrust:F4} < 0.97");
        Assert.True(cosineTrust >= 0.95, $"cosine trustworthiness {cosineTrust:F4} < 0.95");
    }

    private (double Umap, double Pca) Measure(string name, RowMatrix data)
    {
        var umap = UmapProjector.Fit(data, new UmapOptions { Deterministic = true, Seed = 1 });
        var umapTrust = Trustworthiness.Compute(data, umap.Embedding, 10);
        var pcaTrust = Trustworthiness.Compute(data, Pca.Fit(data, 2).Transform(data), 10);
        output.WriteLine($"{name}: trustworthiness(k=10) UMAP {umapTrust:F4} ({umap.Initialisation} init), PCA {pcaTrust:F4}");
        return (umapTrust, pcaTrust);
    }

    /// <summary>
    /// 3 x 50 points drawn independently per feature from a normal with Fisher's iris per-class means and standard
    /// deviations (sepal length, sepal width, petal length, petal width; cm), as tabulated from the UCI Iris data
    /// (Fisher 1936): setosa 5.006/0.352, 3.428/0.379, 1.462/0.174, 0.246/0.105; versicolor 5.936/0.516,
    /// 2.770/0.314, 4.260/0.470, 1.326/0.198; virginica 6.588/0.636, 2.974/0.322, 5.552/0.552, 2.026/0.275.
    /// </summary>
    internal static RowMatrix IrisLike(int seed)
    {
        double[][] means = [[5.006, 3.428, 1.462, 0.246], [5.936, 2.770, 4.260, 1.326], [6.588, 2.974, 5.552, 2.026]];
        double[][] deviations = [[0.352, 0.379, 0.174, 0.105], [0.516, 0.314, 0.470, 0.198], [0.636, 0.322, 0.552, 0.275]];
        var random = new SplitMix64((ulong)seed);
        var values = new float[150 * 4];
        for (var i = 0; i < 150; i++)
        {
            for (var f = 0; f < 4; f++)
            {
                values[(i * 4) + f] = (float)(means[i / 50][f] + (deviations[i / 50][f] * random.NextGaussian()));
            }
        }
        return new RowMatrix(values, 150, 4);
    }
}
