using SquadAlbert.Analysis.Clustering;

namespace SquadAlbert.Analysis.Tests.Clustering;

public class HdbscanTests
{
    [Fact]
    public void Two_tight_pairs_far_apart_are_two_clusters()
    {
        // Core distance (k = 2, counting the point) is 1 for every point; the pairs join at 10.
        float[] points = [0, 0, 0, 1, 10, 0, 10, 1];
        var result = Hdbscan.Fit(points, 4, 2, new HdbscanOptions { MinClusterSize = 2 });
        Assert.Equal([0, 0, 1, 1], result.Labels);
        Assert.Equal([1f, 1f, 1f, 1f], result.Probabilities);
        Assert.Equal([0f, 0f, 0f, 0f], result.OutlierScores);
        // Each pair is born at λ = 1/10 and its two points leave at λ = 1/1: stability 2 · (1 − 0.1).
        Assert.Equal(1.8, result.Stabilities[0], 12);
        Assert.Equal(1.8, result.Stabilities[1], 12);
    }

    [Fact]
    public void Far_point_is_noise_with_hand_computed_outlier_score()
    {
        // The pairs of the previous test plus E = (5, 20). E's nearest points are B = (0, 1) and D = (10, 1) at
        // √386; that is its core distance, so E leaves the root at λ = 1/√386 while the pairs stay together.
        float[] points = [0, 0, 0, 1, 10, 0, 10, 1, 5, 20];
        var result = Hdbscan.Fit(points, 5, 2, new HdbscanOptions { MinClusterSize = 2 });
        Assert.Equal([0, 0, 1, 1, -1], result.Labels);
        Assert.Equal(0f, result.Probabilities[4]);
        // GLOSH: 1 − λ(E) / λmax(root) with λmax = 1 (the pairs' points leave at distance 1).
        Assert.Equal(1 - (1 / Math.Sqrt(386)), result.OutlierScores[4], 6);
        var pointEdge = Assert.Single(result.CondensedTree, e => !e.ChildIsCluster && e.Child == 4);
        Assert.Equal(0, pointEdge.Parent);
        Assert.Equal(1 / Math.Sqrt(386), pointEdge.Lambda, 6);
        Assert.Equal(7, result.CondensedTree.Count); // E, two clusters, four points
        Assert.Equal(2, result.CondensedTree.Count(e => e.ChildIsCluster && e.Parent == 0 && e.Lambda == 0.1));
    }

    [Fact]
    public void Coincident_points_give_infinite_density_without_NaN()
    {
        // Three copies of (0, 0) and three of (4, 3): core distances are 0, so the copies separate at distance 0
        // (λ = +∞) and each group's stability is infinite; labels, probabilities and scores stay well defined.
        float[] points = [0, 0, 0, 0, 0, 0, 4, 3, 4, 3, 4, 3];
        var result = Hdbscan.Fit(points, 6, 2, new HdbscanOptions { MinClusterSize = 3 });
        Assert.Equal([0, 0, 0, 1, 1, 1], result.Labels);
        Assert.Equal(Enumerable.Repeat(1f, 6), result.Probabilities);
        Assert.Equal(Enumerable.Repeat(0f, 6), result.OutlierScores);
        Assert.All(result.Stabilities, s => Assert.Equal(double.PositiveInfinity, s));
        Assert.Equal(2, result.CondensedTree.Count(e => e.ChildIsCluster && e.Lambda == 0.2)); // born at 1/5
    }

    [Fact]
    public void Excess_of_mass_keeps_a_stable_parent_where_leaf_selection_splits_it()
    {
        // One dimension, MinSamples = 1 (plain single linkage). Triplets spaced 0.1 internally: A = {0, .1, .2} and
        // B = {.32, .42, .52} join at 0.12, C = {10, 10.1, 10.2} far away. With MinClusterSize = 3:
        // A ∪ B is born at λ = 1/9.48 and splits at λ = 1/0.12 ≈ 8.3: stability 6 · (8.3 − 0.1) ≈ 49;
        // A and B each live from 8.3 to 10: stability 3 · 1.7 = 5 each, 10 together < 49, so EOM keeps A ∪ B.
        float[] points = [0, 0.1f, 0.2f, 0.32f, 0.42f, 0.52f, 10, 10.1f, 10.2f];
        var options = new HdbscanOptions { MinClusterSize = 3, MinSamples = 1 };
        var eom = Hdbscan.Fit(points, 9, 1, options);
        Assert.Equal(2, eom.ClusterCount);
        Assert.Equal(1.0, ClusteringAgreement.AdjustedRandIndex([0, 0, 0, 0, 0, 0, 1, 1, 1], eom.Labels));
        var leaf = Hdbscan.Fit(points, 9, 1, options with { Selection = ClusterSelection.Leaf });
        Assert.Equal(3, leaf.ClusterCount);
        Assert.Equal(1.0, ClusteringAgreement.AdjustedRandIndex([0, 0, 0, 1, 1, 1, 2, 2, 2], leaf.Labels));
    }

    [Fact]
    public void Finds_the_blobs_without_being_told_k_and_marks_background_noise()
    {
        var data = SyntheticBlobs.Gaussian(21, dimension: 2, sizes: [250, 300, 200, 350], spreads: [1, 1, 1, 1], box: 30, minCentreDistance: 12, noise: 150);
        var result = Hdbscan.Fit(data.Points, data.Count, data.Dimension, new HdbscanOptions { MinClusterSize = 20 });
        Assert.Equal(4, result.ClusterCount);
        var blob = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] >= 0).ToArray();
        var noise = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] < 0).ToArray();
        var clustered = blob.Where(i => result.Labels[i] >= 0).ToArray();
        Assert.True(clustered.Length >= 0.9 * blob.Length);
        Assert.True(ClusteringAgreement.AdjustedRandIndex(clustered.Select(i => data.Labels[i]).ToArray(), clustered.Select(i => result.Labels[i]).ToArray()) >= 0.95);
        // Background points near a blob join it as it forms (as in the reference implementations), but weakly.
        Assert.True(noise.Count(i => result.Labels[i] < 0) >= 0.6 * noise.Length);
        var absorbed = noise.Where(i => result.Labels[i] >= 0).ToArray();
        Assert.True(absorbed.Average(i => result.Probabilities[i]) < 0.5 * clustered.Average(i => result.Probabilities[i]), $"{absorbed.Average(i => result.Probabilities[i])} {clustered.Average(i => result.Probabilities[i])} {noise.Average(i => result.OutlierScores[i])} {blob.Average(i => result.OutlierScores[i])}");
        Assert.True(noise.Average(i => result.OutlierScores[i]) > 2 * blob.Average(i => result.OutlierScores[i]));
        Assert.All(result.Probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.All(result.OutlierScores, s => Assert.InRange(s, 0f, 1f));
    }

    [Fact]
    public void Separates_blobs_of_very_different_density()
    {
        var data = SyntheticBlobs.Gaussian(8, dimension: 5, sizes: [300, 300, 300], spreads: [0.3, 1.5, 4], box: 40, minCentreDistance: 35);
        var result = Hdbscan.Fit(data.Points, data.Count, data.Dimension, new HdbscanOptions { MinClusterSize = 25 });
        Assert.Equal(3, result.ClusterCount);
        var clustered = Enumerable.Range(0, data.Count).Where(i => result.Labels[i] >= 0).ToArray();
        Assert.True(clustered.Length >= 0.85 * data.Count);
        Assert.True(ClusteringAgreement.AdjustedRandIndex(clustered.Select(i => data.Labels[i]).ToArray(), clustered.Select(i => result.Labels[i]).ToArray()) >= 0.95);
    }

    [Fact]
    public void Results_are_deterministic()
    {
        var data = SyntheticBlobs.Gaussian(3, dimension: 3, sizes: [1500, 1500], spreads: [1, 2], box: 20, minCentreDistance: 10, noise: 200);
        var first = Hdbscan.Fit(data.Points, data.Count, data.Dimension);
        var second = Hdbscan.Fit(data.Points, data.Count, data.Dimension);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Probabilities, second.Probabilities);
        Assert.Equal(first.OutlierScores, second.OutlierScores);
    }

    [Fact]
    public void Too_few_points_for_a_cluster_are_all_noise()
    {
        var result = Hdbscan.Fit([0, 1, 2], 3, 1, new HdbscanOptions { MinClusterSize = 5 });
        Assert.Equal([-1, -1, -1], result.Labels);
        Assert.Equal(0, result.ClusterCount);
        Assert.Equal([-1], Hdbscan.Fit([4], 1, 1).Labels);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hdbscan.Fit([0, 1], 2, 1, new HdbscanOptions { MinClusterSize = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hdbscan.Fit([0, 1], 2, 1, new HdbscanOptions { MinSamples = 0 }));
        Assert.Throws<ArgumentException>(() => Hdbscan.Fit([0, float.NaN], 2, 1));
    }
}
