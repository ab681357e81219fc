using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Tests.Neighbours;

public class ExactNeighboursTests
{
    /// <summary>
    /// 5 × 7 points of an integer grid plus copies of three of them: every squared distance is a small integer,
    /// computed exactly in single precision, so ties are real and many (each inner point has four neighbours at 1,
    /// a copied point one more at 0). 38 rows: not a multiple of the 16-row tile.
    /// </summary>
    private static RowMatrix Grid()
    {
        var values = new List<float>();
        for (var x = 0; x < 5; x++)
        {
            for (var y = 0; y < 7; y++)
            {
                values.AddRange([x, y]);
            }
        }
        foreach (var copied in new[] { 0, 17, 34 })
        {
            values.AddRange(values.GetRange(copied * 2, 2));
        }
        return new RowMatrix([.. values], values.Count / 2, 2);
    }

    /// <summary>301 rows (not a multiple of 16 nor of 512), d = 37, with duplicated rows and zero rows.</summary>
    private static RowMatrix Random301()
    {
        const int Rows = 301, Columns = 37;
        var random = new Random(11);
        var values = new float[Rows * Columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }
        Array.Copy(values, 10 * Columns, values, 11 * Columns, Columns);
        Array.Copy(values, 10 * Columns, values, 290 * Columns, Columns);
        Array.Clear(values, 5 * Columns, Columns);
        Array.Clear(values, 260 * Columns, Columns);
        return new RowMatrix(values, Rows, Columns);
    }

    /// <summary>Every other row, sorted by exact squared distance (in double) and then by index.</summary>
    private static (int Index, double Key)[] ExactSquaredDistances(RowMatrix data, int query) =>
        Enumerable.Range(0, data.Rows).Where(j => j != query)
            .Select(j => (Index: j, Key: data.Row(query).ToArray().Zip(data.Row(j).ToArray()).Sum(p => ((double)p.First - p.Second) * ((double)p.First - p.Second))))
            .OrderBy(p => p.Key).ThenBy(p => p.Index)
            .ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Euclidean_search_on_a_grid_equals_brute_force_ties_by_index(int k)
    {
        var data = Grid();
        var lists = new ExactNeighbours(data, DistanceMetric.Euclidean).SearchAll(k);
        Assert.Equal(k, lists.Width);
        for (var query = 0; query < data.Rows; query++)
        {
            var expected = ExactSquaredDistances(data, query).Take(k).ToArray();
            Assert.Equal(expected.Select(e => e.Index), lists.IndicesOf(query).ToArray());
            Assert.Equal(expected.Select(e => (float)e.Key), lists.KeysOf(query).ToArray());
        }
        // Point 8 = (1, 1) has four neighbours at 1 and keeps the lowest-numbered ones when k cuts through them.
        Assert.Equal([1, 7, 9, 15], new ExactNeighbours(data, DistanceMetric.Euclidean).Search([8], 4).IndicesOf(0).ToArray());
        // A copy is a neighbour at 0, and the query is not its own neighbour.
        Assert.Equal((35, 0f), (lists.IndicesOf(0)[0], lists.KeysOf(0)[0]));
        Assert.Equal((0, 0f), (lists.IndicesOf(35)[0], lists.KeysOf(35)[0]));
    }

    [Theory]
    [InlineData(38)]
    [InlineData(500)]
    public void K_at_or_beyond_the_row_count_lists_every_other_row_in_order(int k)
    {
        var data = Grid();
        var lists = new ExactNeighbours(data, DistanceMetric.Euclidean).SearchAll(k);
        Assert.Equal(data.Rows - 1, lists.Width);
        for (var query = 0; query < data.Rows; query++)
        {
            Assert.Equal(ExactSquaredDistances(data, query).Select(e => e.Index), lists.IndicesOf(query).ToArray());
        }
        Assert.Equal(0, new ExactNeighbours(new RowMatrix([1, 2], 1, 2), DistanceMetric.Euclidean).SearchAll(3).Width);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void Every_batch_shape_equals_brute_force_over_the_engines_own_keys(DistanceMetric metric)
    {
        var data = Random301();
        var search = new ExactNeighbours(data, metric);
        const int K = 12;
        // One query (rows split across threads), a few (one query tile and a remainder), and all (query chunks).
        int[][] batches = [[260], [10, 11, 5, 290, 0, 300, 7], [.. Enumerable.Range(0, data.Rows)]];
        foreach (var batch in batches)
        {
            foreach (var parallel in new[] { true, false })
            {
                var lists = search.Search(batch, K, parallel);
                for (var q = 0; q < batch.Length; q++)
                {
                    var expected = Enumerable.Range(0, data.Rows).Where(j => j != batch[q])
                        .Select(j => (Index: j, Key: search.Key(batch[q], j)))
                        .OrderBy(p => p.Key).ThenBy(p => p.Index).Take(K).ToArray();
                    Assert.Equal(expected.Select(e => e.Index), lists.IndicesOf(q).ToArray());
                    Assert.Equal(expected.Select(e => e.Key), lists.KeysOf(q).ToArray());
                }
            }
        }
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void Keys_are_the_metric_up_to_rounding_and_symmetric(DistanceMetric metric)
    {
        var data = Random301();
        var search = new ExactNeighbours(data, metric);
        var unit = VectorMath.NormalizedRows(data);
        var keys = new float[data.Rows - 16];
        search.KeysFrom(3, 16, data.Rows, keys);
        for (var j = 16; j < data.Rows; j++)
        {
            var x = (metric == DistanceMetric.Cosine ? unit : data).Row(3).ToArray();
            var y = (metric == DistanceMetric.Cosine ? unit : data).Row(j).ToArray();
            var naive = metric == DistanceMetric.Euclidean
                ? x.Zip(y).Sum(p => ((double)p.First - p.Second) * ((double)p.First - p.Second))
                : -x.Zip(y).Sum(p => (double)p.First * p.Second);
            Assert.Equal(naive, search.Key(3, j), 1e-5);
            Assert.Equal(search.Key(3, j), keys[j - 16]);
            if (metric == DistanceMetric.Euclidean)
            {
                Assert.Equal(search.Key(3, j), search.Key(j, 3));
            }
        }
        // Duplicates are bit-identical; a zero row is at similarity 0 from everything.
        Assert.Equal(search.Key(7, 10), search.Key(7, 11));
        if (metric == DistanceMetric.Cosine)
        {
            Assert.Equal(0f, search.Key(5, 260));
            Assert.Equal(1f, search.ToDistance(search.Key(5, 9)));
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ExactNeighbours(new RowMatrix([float.NaN, 1], 1, 2), DistanceMetric.Euclidean));
        var search = new ExactNeighbours(Grid(), DistanceMetric.Euclidean);
        Assert.Throws<ArgumentOutOfRangeException>(() => search.Search([38], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => search.Search([0], 0));
        Assert.Throws<ArgumentException>(() => search.KeysFrom(0, 3, 10, new float[7]));
    }

    [Fact]
    public void Hdbscan_core_distances_are_the_kth_nearest_counting_the_row_itself()
    {
        var data = Grid();
        foreach (var k in new[] { 1, 2, 5, 38 })
        {
            var cores = new MutualReachability(data, k).SquaredCoreDistances.ToArray();
            for (var i = 0; i < data.Rows; i++)
            {
                var withSelf = ExactSquaredDistances(data, i).Select(e => e.Key).Prepend(0).ToArray();
                Assert.Equal((float)withSelf[k - 1], cores[i]);
            }
        }
    }

    [Fact]
    public void Umap_graph_puts_every_point_first_then_its_nearest_with_distances()
    {
        var data = Grid();
        var graph = KnnGraphBuilder.Exact(data, 5, DistanceMetric.Euclidean, parallel: false);
        Assert.Equal([8, 1, 7, 9, 15], graph.NeighboursOf(8).ToArray());
        Assert.Equal([0f, 1f, 1f, 1f, 1f], graph.DistancesOf(8).ToArray());
        Assert.Equal([0, 35, 1, 7, 8], graph.NeighboursOf(0).ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, MathF.Sqrt(2)], graph.DistancesOf(0).ToArray());
    }
}
