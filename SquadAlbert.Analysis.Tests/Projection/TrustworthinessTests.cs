using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Projection;

public class TrustworthinessTests
{
    [Fact]
    public void Identity_and_similarity_transforms_are_perfectly_trustworthy()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 3, pointsPerCluster: 30, dimensions: 3, centreSpread: 2, seed: 8);
        Assert.Equal(1.0, Trustworthiness.Compute(data, data, 10));
        var scaled = new RowMatrix([.. data.Values.Select(v => (3 * v) + 1)], data.Rows, data.Columns);
        Assert.Equal(1.0, Trustworthiness.Compute(data, scaled, 10));
    }

    [Fact]
    public void Swapping_two_points_costs_their_rank_excess()
    {
        // Input on a line: 0, 1, 3, 7, 15 (no ties). Embedding swaps points 0 and 4: 15, 1, 3, 7, 0. k = 1.
        // Embedded nearest neighbour → its input rank (1 = nearest): 0→3 rank 3; 1→4 rank 4; 2→1 rank 1;
        // 3→2 rank 1; 4→1 rank 3. Penalties (rank − k): 2 + 3 + 0 + 0 + 2 = 7.
        // T = 1 − 7 · 2 / (5 · 1 · (10 − 3 − 1)) = 1 − 14/30 = 8/15.
        var input = new RowMatrix([0f, 1f, 3f, 7f, 15f], 5, 1);
        var embedding = new RowMatrix([15f, 1f, 3f, 7f, 0f], 5, 1);
        Assert.Equal(8.0 / 15, Trustworthiness.Compute(input, embedding, 1), 1e-12);
    }

    [Fact]
    public void Rejects_neighbourhoods_of_half_the_points_or_more()
    {
        var input = new RowMatrix([0f, 1f, 3f, 7f], 4, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Compute(input, input, 2));
    }
}
