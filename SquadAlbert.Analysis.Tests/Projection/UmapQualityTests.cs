using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Projection;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Projection;

/// <summary>The quality gates: UMAP must keep neighbourhoods trustworthy (k = 10) on small reference sets.</summary>
public class UmapQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Gaussian_clusters_embed_trustworthily()
    {
        // 10 clusters x 100 points in 50-D; centres ~ N(0, 4) per coordinate, points ~ centre + N(0, 1).
        var (data, _) = GaussianClusters.Generate(clusters: 10, pointsPerCluster: 100, dimensions: 50, centreSpread: 2, seed: 2024);
        AssertTrustworthy("gaussian clusters 10x100x50", data);
    }

    [Fact]
    public void Iris_like_set_embeds_trustworthily()
    {
        AssertTrustworthy("iris-like 150x4", IrisLike(seed: 7));
    }

    private void AssertTrustworthy(string name, RowMatrix data)
    {
        var umap = UmapProjector.Fit(data, new UmapOptions { Deterministic = true, Seed = 1 });
        var umapTrust = Trustworthiness.Compute(data, umap.Embedding, 10);
        var pca = Pca.Fit(data, 2).Transform(data);
        var pcaTrust = Trustworthiness.Compute(data, pca, 10);
        output.WriteLine($"{name}: trustworthiness(k=10) UMAP {umapTrust:F4} ({umap.Initialisation} init), PCA {pcaTrust:F4}");
        Assert.True(umapTrust >= 0.97, $"{name}: UMAP trustworthiness {umapTrust:F4} < 0.97");
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
