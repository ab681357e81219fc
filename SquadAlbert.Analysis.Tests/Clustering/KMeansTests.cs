using SquadAlbert.Analysis.Clustering;

namespace SquadAlbert.Analysis.Tests.Clustering;

public class KMeansTests
{
    private static SyntheticBlobs.Data FiveBlobs(int seed) =>
        SyntheticBlobs.Gaussian(seed, dimension: 10, sizes: [150, 200, 250, 120, 280], spreads: [1, 1, 1, 1, 1], box: 20, minCentreDistance: 12);

    [Fact]
    public void Hand_checkable_one_dimensional_case()
    {
        var result = KMeans.Fit([0, 1, 10, 11], 4, 1, new KMeansOptions { ClusterCount = 2 });
        Assert.Equal(result.Labels[0], result.Labels[1]);
        Assert.Equal(result.Labels[2], result.Labels[3]);
        Assert.NotEqual(result.Labels[0], result.Labels[2]);
        Assert.Equal(0.5f, result.Centroids[result.Labels[0]]);
        Assert.Equal(10.5f, result.Centroids[result.Labels[2]]);
        Assert.Equal(1.0, result.Inertia, 6); // four rows at distance 0.5
        Assert.True(result.Converged);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Recovers_well_separated_gaussian_blobs(int seed)
    {
        var data = FiveBlobs(seed);
        var result = KMeans.Fit(data.Points, data.Count, data.Dimension, new KMeansOptions { ClusterCount = 5, Seed = seed });
        Assert.True(ClusteringAgreement.AdjustedRandIndex(data.Labels, result.Labels) >= 0.95);
        Assert.Equal(5, result.Labels.Distinct().Count());
        // Each blob has unit variance per column, so the inertia is close to n·d.
        Assert.InRange(result.Inertia / (data.Count * data.Dimension), 0.9, 1.1);
    }

    [Fact]
    public void Same_seed_gives_identical_results_and_restarts_never_worsen_inertia()
    {
        var data = FiveBlobs(4);
        // k = 8 on 5 blobs: the seeding matters, so different seeds give different local optima.
        var options = new KMeansOptions { ClusterCount = 8, Seed = 11, Restarts = 1 };
        var first = KMeans.Fit(data.Points, data.Count, data.Dimension, options);
        var second = KMeans.Fit(data.Points, data.Count, data.Dimension, options);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Inertia, second.Inertia);
        var other = KMeans.Fit(data.Points, data.Count, data.Dimension, options with { Seed = 12 });
        Assert.NotEqual(first.Centroids, other.Centroids);
        var restarted = KMeans.Fit(data.Points, data.Count, data.Dimension, options with { Restarts = 5 });
        Assert.True(restarted.Inertia <= first.Inertia);
    }

    [Fact]
    public void Cosine_metric_clusters_by_direction_whatever_the_length()
    {
        var random = new Random(5);
        const int Dimension = 8;
        var directions = new[] { 0, 3, 6 };
        var points = new List<float>();
        var labels = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            var label = i % 3;
            // Mostly along one axis, a little noise, and a length anywhere between 0.1 and 10.
            var length = 0.1 + (random.NextDouble() * 9.9);
            for (var j = 0; j < Dimension; j++)
            {
                var component = (j == directions[label] ? 1 : 0) + (0.1 * SyntheticBlobs.Normal(random));
                points.Add((float)(length * component));
            }
            labels.Add(label);
        }
        var result = KMeans.Fit([.. points], 300, Dimension, new KMeansOptions { ClusterCount = 3, Metric = ClusteringMetric.Cosine, Seed = 1 });
        Assert.True(ClusteringAgreement.AdjustedRandIndex(labels, result.Labels) >= 0.95);
        for (var c = 0; c < 3; c++)
        {
            var norm = Math.Sqrt(result.Centroids.Skip(c * Dimension).Take(Dimension).Sum(x => (double)x * x));
            Assert.Equal(1.0, norm, 5);
        }
    }

    [Fact]
    public void Empty_clusters_get_a_row_instead_of_a_NaN_centroid()
    {
        // Ten copies of one point and two of another with k = 3: at least two centres start on the same point, so
        // one cluster is empty after the first assignment; without relocation its mean would be 0/0.
        float[] data = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 5];
        var result = KMeans.Fit(data, 12, 1, new KMeansOptions { ClusterCount = 3, Restarts = 3 });
        Assert.All(result.Centroids, c => Assert.True(float.IsFinite(c)));
        Assert.Contains(1f, result.Centroids);
        Assert.Contains(5f, result.Centroids);
        Assert.Single(result.Labels.Take(10).Distinct());
        Assert.NotEqual(result.Labels[0], result.Labels[10]);
        Assert.Equal(0.0, result.Inertia);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit([0, 1], 2, 1, new KMeansOptions { ClusterCount = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit([0, 1], 2, 1, new KMeansOptions { ClusterCount = 0 }));
        Assert.Throws<ArgumentException>(() => KMeans.Fit([0, 1, 2], 2, 2, new KMeansOptions { ClusterCount = 1 }));
    }
}
