using SquadAlbert.Analysis.Projection;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Projection;

public class GraphConstructionTests
{
    [Fact]
    public void Sigma_solves_the_log2_k_equation_by_hand()
    {
        // k = 3, distances (self 0, 1, 2): ρ = 1; Σ over j ≥ 1 = 1 + exp(−1/σ) = log2(3), so σ = −1 / ln(log2(3) − 1).
        var graph = new KnnGraph([0, 1, 2], [0f, 1f, 2f], pointCount: 1, neighbourCount: 3);
        var result = SmoothKnnDistances.Compute(graph);
        Assert.Equal(1f, result.Rhos[0]);
        Assert.Equal(-1 / Math.Log(Math.Log2(3) - 1), result.Sigmas[0], 1e-3);
    }

    [Fact]
    public void Sigma_has_a_floor_of_a_thousandth_of_the_mean_distance()
    {
        // All neighbours at the same distance: every term is 1 however small σ gets, so bisection drives it to 0.
        var graph = new KnnGraph([0, 1, 2, 3], [0f, 2f, 2f, 2f], pointCount: 1, neighbourCount: 4);
        var result = SmoothKnnDistances.Compute(graph);
        Assert.Equal(2f, result.Rhos[0]);
        Assert.Equal(SmoothKnnDistances.MinimumDistanceScale * 1.5, result.Sigmas[0], 1e-9);
    }

    [Fact]
    public void Fuzzy_union_is_a_plus_at_minus_a_times_at()
    {
        // Three points on a line at 0, 1, 3; k = 2 (self + 1): 0→1 (d 1), 1→0 (d 1), 2→1 (d 2). Each point's only
        // other neighbour sits at ρ, so every directed membership is 1.
        var graph = new KnnGraph([0, 1, 1, 0, 2, 1], [0f, 1f, 0f, 1f, 0f, 2f], pointCount: 3, neighbourCount: 2);
        var directed = FuzzySimplicialSet.Memberships(graph, SmoothKnnDistances.Compute(graph));
        Assert.Equal(1f, directed[0, 1]);
        Assert.Equal(1f, directed[2, 1]);
        Assert.Equal(0f, directed[1, 2]);
        var union = FuzzySimplicialSet.Build(graph);
        Assert.Equal(1f, union[0, 1]);
        Assert.Equal(1f, union[1, 0]);
        Assert.Equal(1f, union[1, 2]);
        Assert.Equal(1f, union[2, 1]);
        Assert.Equal(0f, union[0, 2]);
        Assert.Equal(0f, union[0, 0]);
    }

    [Fact]
    public void Union_of_partial_memberships_follows_the_probabilistic_t_conorm()
    {
        var a = SparseMatrix.FromCoordinates(2, 2, [0, 1], [1, 0], [0.5f, 0.25f]);
        var union = SparseMatrix.Combine(a, a.Transpose(), (x, y) => x + y - (x * y));
        Assert.Equal(0.5f + 0.25f - 0.125f, union[0, 1]);
        Assert.Equal(union[0, 1], union[1, 0]);
    }

    [Fact]
    public void Coordinates_are_summed_sorted_and_zeros_dropped()
    {
        var m = SparseMatrix.FromCoordinates(2, 3, [1, 0, 1, 0, 0], [2, 1, 0, 1, 2], [1f, 2f, 3f, 4f, 0f]);
        Assert.Equal([0, 1, 3], m.RowStarts);
        Assert.Equal([1, 0, 2], m.ColumnIndices);
        Assert.Equal([6f, 3f, 1f], m.Values);
        var t = m.Transpose();
        Assert.Equal(3, t.Rows);
        Assert.Equal(6f, t[1, 0]);
        Assert.Equal(1f, t[2, 1]);
    }

    [Fact]
    public void Weighted_graph_is_symmetric_with_memberships_in_unit_interval()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 3, pointsPerCluster: 40, dimensions: 5, centreSpread: 3, seed: 1);
        var graph = FuzzySimplicialSet.Build(KnnGraphBuilder.Exact(data, 10, DistanceMetric.Euclidean));
        var transposed = graph.Transpose();
        Assert.Equal(graph.ColumnIndices, transposed.ColumnIndices);
        Assert.Equal(graph.Values, transposed.Values);
        Assert.All(graph.Values, v => Assert.InRange(v, 1e-30f, 1f));
        // Every point's nearest neighbour gets membership 1 (d = ρ).
        for (var i = 0; i < graph.Rows; i++)
        {
            Assert.Equal(1f, graph.Values[graph.RowStarts[i]..graph.RowStarts[i + 1]].Max(), 1e-6f);
        }
    }
}
