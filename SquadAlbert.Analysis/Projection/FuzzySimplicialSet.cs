namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// umap-learn's fuzzy_simplicial_set: directed memberships exp(−max(0, d − ρᵢ)/σᵢ) from each point to its
/// neighbours (0 to itself), symmetrised by the probabilistic t-conorm (fuzzy union) A + Aᵀ − A∘Aᵀ, mixed with the
/// fuzzy intersection A∘Aᵀ by set_op_mix_ratio (1 = pure union, umap-learn's default).
/// </summary>
public static class FuzzySimplicialSet
{
    public static SparseMatrix Build(KnnGraph graph, double setOpMixRatio = 1.0, double localConnectivity = 1.0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var smooth = SmoothKnnDistances.Compute(graph, localConnectivity);
        var directed = Memberships(graph, smooth);
        var transposed = directed.Transpose();
        var mix = (float)setOpMixRatio;
        return SparseMatrix.Combine(directed, transposed, (a, b) =>
        {
            var product = a * b;
            return (mix * (a + b - product)) + ((1 - mix) * product);
        });
    }

    /// <summary>The directed membership strengths (umap-learn's compute_membership_strengths), one row per point.</summary>
    public static SparseMatrix Memberships(KnnGraph graph, SmoothKnnResult smooth)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(smooth);
        var n = graph.PointCount;
        var k = graph.NeighbourCount;
        var rows = new List<int>(n * k);
        var cols = new List<int>(n * k);
        var vals = new List<float>(n * k);
        for (var i = 0; i < n; i++)
        {
            var neighbours = graph.NeighboursOf(i);
            var distances = graph.DistancesOf(i);
            for (var j = 0; j < k; j++)
            {
                var neighbour = neighbours[j];
                if (neighbour < 0 || neighbour == i)
                {
                    continue;
                }
                var excess = distances[j] - smooth.Rhos[i];
                var value = excess <= 0 || smooth.Sigmas[i] == 0 ? 1f : MathF.Exp(-(excess / smooth.Sigmas[i]));
                rows.Add(i);
                cols.Add(neighbour);
                vals.Add(value);
            }
        }
        return SparseMatrix.FromCoordinates(n, n, [.. rows], [.. cols], [.. vals]);
    }
}
