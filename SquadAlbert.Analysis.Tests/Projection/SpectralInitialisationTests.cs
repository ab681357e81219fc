using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Tests.Projection;

public class SpectralInitialisationTests
{
    [Fact]
    public void Lanczos_layout_spans_the_same_eigenvectors_as_a_dense_solve()
    {
        var graph = RandomConnectedGraph(60, seed: 2);
        var layout = SpectralInitialisation.SpectralLayout(graph, dimensions: 2, seed: 1);
        var (values, vectors) = DenseNormalisedAdjacencyEigen(graph);
        // The dense solution's eigenvalue 0 is the trivial one (1); the next two are the wanted ones.
        Assert.True(values[1] - values[2] > 1e-3 && values[2] - values[3] > 1e-3, "test graph needs separated eigenvalues");
        var n = graph.Rows;
        for (var c = 0; c < 2; c++)
        {
            double dot = 0, norm = 0;
            for (var i = 0; i < n; i++)
            {
                dot += layout[(i * 2) + c] * vectors[(i * n) + c + 1];
                norm += layout[(i * 2) + c] * layout[(i * 2) + c];
            }
            Assert.Equal(1, Math.Abs(dot) / Math.Sqrt(norm), 1e-4);
        }
    }

    [Fact]
    public void Fiedler_vector_separates_two_weakly_joined_cliques()
    {
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        for (var i = 0; i < 20; i++)
        {
            for (var j = 0; j < 20; j++)
            {
                if (i != j && i / 10 == j / 10)
                {
                    rows.Add(i);
                    cols.Add(j);
                    vals.Add(1f);
                }
            }
        }
        rows.AddRange([9, 10]);
        cols.AddRange([10, 9]);
        vals.AddRange([0.1f, 0.1f]);
        var graph = SparseMatrix.FromCoordinates(20, 20, [.. rows], [.. cols], [.. vals]);
        var layout = SpectralInitialisation.SpectralLayout(graph, dimensions: 2, seed: 3);
        var firstSign = Math.Sign(layout[0]);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i < 10 ? firstSign : -firstSign, Math.Sign(layout[i * 2]));
        }
    }

    [Fact]
    public void Initialisation_is_scaled_to_the_0_10_box()
    {
        var graph = RandomConnectedGraph(80, seed: 4);
        var (coordinates, kind) = SpectralInitialisation.Initialise(graph, new RowMatrix(new float[80], 80, 1), 2, seed: 5);
        Assert.Equal(InitialisationKind.Spectral, kind);
        for (var c = 0; c < 2; c++)
        {
            var axis = Enumerable.Range(0, 80).Select(i => coordinates[(i * 2) + c]).ToArray();
            Assert.Equal(0f, axis.Min(), 1e-5);
            Assert.Equal(10f, axis.Max(), 1e-5);
        }
    }

    [Fact]
    public void Disconnected_graph_lays_components_out_apart()
    {
        // Two separate random graphs; the second's vertices shifted by 40.
        var left = RandomConnectedGraph(40, seed: 6);
        var (r, c, v) = left.ToCoordinates();
        var graph = SparseMatrix.FromCoordinates(80, 80, [.. r, .. r.Select(x => x + 40)], [.. c, .. c.Select(x => x + 40)], [.. v, .. v]);
        var data = new RowMatrix([.. Enumerable.Range(0, 80).Select(i => i < 40 ? 0f : 5f)], 80, 1);
        var (coordinates, kind) = SpectralInitialisation.Initialise(graph, data, 2, seed: 7);
        Assert.Equal(InitialisationKind.MultiComponentSpectral, kind);
        // The components sit at +e1 and −e1 with boxes of half-width 1: their first coordinates do not overlap.
        var firstMax = Enumerable.Range(0, 40).Max(i => coordinates[i * 2]);
        var secondMin = Enumerable.Range(40, 40).Min(i => coordinates[i * 2]);
        var firstMin = Enumerable.Range(0, 40).Min(i => coordinates[i * 2]);
        var secondMax = Enumerable.Range(40, 40).Max(i => coordinates[i * 2]);
        Assert.True(firstMin > secondMax || secondMin > firstMax, "components overlap");
    }

    internal static SparseMatrix RandomConnectedGraph(int n, int seed)
    {
        var random = new SquadAlbert.Analysis.Data.SplitMix64((ulong)seed);
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        void Add(int i, int j, float w)
        {
            rows.AddRange([i, j]);
            cols.AddRange([j, i]);
            vals.AddRange([w, w]);
        }
        for (var i = 0; i < n; i++)
        {
            Add(i, (i + 1) % n, 0.5f + (random.NextBelow(1000) / 2000f));
            for (var e = 0; e < 2; e++)
            {
                var j = random.NextBelow(n);
                if (j != i)
                {
                    Add(i, j, 0.1f + (random.NextBelow(1000) / 1000f));
                }
            }
        }
        var summed = SparseMatrix.FromCoordinates(n, n, [.. rows], [.. cols], [.. vals]);
        return SparseMatrix.Combine(summed, summed, (a, _) => Math.Min(a, 1f));
    }

    private static (double[] Values, double[] Vectors) DenseNormalisedAdjacencyEigen(SparseMatrix graph)
    {
        var n = graph.Rows;
        var degree = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var e = graph.RowStarts[i]; e < graph.RowStarts[i + 1]; e++)
            {
                degree[i] += graph.Values[e];
            }
        }
        var dense = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var e = graph.RowStarts[i]; e < graph.RowStarts[i + 1]; e++)
            {
                var j = graph.ColumnIndices[e];
                dense[(i * n) + j] = graph.Values[e] / Math.Sqrt(degree[i] * degree[j]);
            }
        }
        return SymmetricEigen.Decompose(dense, n);
    }
}
