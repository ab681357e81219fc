using SquadAlbert.Analysis.Neighbours;

namespace SquadAlbert.Analysis.Tests.Neighbours;

public class CosineNeighbourIndexTests
{
    // 301 rows (not a multiple of the 4-row tile nor of the 256-row block), d = 37 (not a multiple of 16 lanes),
    // with duplicated rows, a scaled copy (same direction) and zero rows mixed in.
    private const int Count = 301;
    private const int Dimension = 37;

    private static float[] Embeddings()
    {
        var random = new Random(7);
        var data = new float[Count * Dimension];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }
        CopyRow(data, from: 10, to: 11);
        CopyRow(data, from: 10, to: 200);
        CopyRow(data, from: 50, to: 3);
        for (var c = 0; c < Dimension; c++)
        {
            data[(120 * Dimension) + c] = data[(50 * Dimension) + c] * 3.5f;
            data[(5 * Dimension) + c] = 0;
            data[(260 * Dimension) + c] = 0;
        }
        return data;
    }

    private static void CopyRow(float[] data, int from, int to) =>
        Array.Copy(data, from * Dimension, data, to * Dimension, Dimension);

    /// <summary>All-pairs reference: every similarity, sorted by the documented order, self excluded.</summary>
    private static Neighbour[] BruteForce(CosineNeighbourIndex index, int query, int k) =>
        Enumerable.Range(0, index.Count)
            .Where(j => j != query)
            .Select(j => new Neighbour(j, index.Similarity(query, j)))
            .OrderByDescending(n => n.Similarity).ThenBy(n => n.Index)
            .Take(k)
            .ToArray();

    private static double NaiveCosine(float[] data, int a, int b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var c = 0; c < Dimension; c++)
        {
            double x = data[(a * Dimension) + c], y = data[(b * Dimension) + c];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(300)]
    public void QueryAll_equals_brute_force_exactly(int k)
    {
        var index = new CosineNeighbourIndex(Embeddings(), Count, Dimension);
        var all = index.QueryAll(k);
        for (var q = 0; q < Count; q++)
        {
            Assert.Equal(BruteForce(index, q, k), all[q]);
        }
    }

    [Fact]
    public void Small_batches_split_over_rows_equal_brute_force_exactly()
    {
        var index = new CosineNeighbourIndex(Embeddings(), Count, Dimension);
        int[] batch = [200, 5, 11, 299, 0, 10, 3];
        var results = index.QueryBatch(batch, 8);
        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal(BruteForce(index, batch[i], 8), results[i]);
            Assert.Equal(results[i], index.Query(batch[i], 8));
        }
    }

    [Fact]
    public void Many_blocks_and_row_range_splits_equal_brute_force_exactly()
    {
        // 1,100 rows span five 256-row blocks, so small batches are split over row ranges and merged; the batch
        // repeats a query and has sizes around the 8-query tile and the 64-query chunk.
        const int Rows = 1100, Columns = 20;
        var random = new Random(11);
        var data = new float[Rows * Columns];
        for (var i = 0; i < data.Length; i++)
        {
            // Few distinct values, so that many similarities tie exactly.
            data[i] = random.Next(-2, 3);
        }
        var index = new CosineNeighbourIndex(data, Rows, Columns);
        foreach (var size in new[] { 1, 9, 70 })
        {
            var batch = Enumerable.Range(0, size).Select(i => (i * 131) % Rows).Append(0).ToArray();
            var results = index.QueryBatch(batch, 15);
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.Equal(BruteForce(index, batch[i], 15), results[i]);
            }
        }
    }

    [Fact]
    public void Similarities_match_double_precision_cosine()
    {
        var data = Embeddings();
        var index = new CosineNeighbourIndex(data, Count, Dimension);
        for (var a = 0; a < Count; a += 7)
        {
            for (var b = 0; b < Count; b++)
            {
                Assert.Equal(NaiveCosine(data, a, b), index.Similarity(a, b), tolerance: 2e-6);
            }
        }
    }

    [Fact]
    public void Identical_and_parallel_rows_are_ties_broken_by_index()
    {
        var index = new CosineNeighbourIndex(Embeddings(), Count, Dimension);
        // Rows 10, 11 and 200 are equal: each is the others' best neighbour, lower index first.
        var of10 = index.Query(10, 2);
        Assert.Equal([11, 200], of10.Select(n => n.Index));
        Assert.Equal(of10[0].Similarity, of10[1].Similarity);
        Assert.Equal(1f, of10[0].Similarity, 5);
        Assert.Equal([10, 11], index.Query(200, 2).Select(n => n.Index));
        // Row 120 is row 50 scaled by 3.5, row 3 a copy of row 50: all three point the same way.
        Assert.Equal([3, 120], index.Query(50, 2).Select(n => n.Index).Order());
    }

    [Fact]
    public void Zero_rows_have_similarity_zero_to_everything()
    {
        var index = new CosineNeighbourIndex(Embeddings(), Count, Dimension);
        Assert.Equal(0f, index.Similarity(5, 260));
        Assert.Equal(0f, index.Similarity(5, 5));
        var ofZero = index.Query(5, 4);
        Assert.Equal([0, 1, 2, 3], ofZero.Select(n => n.Index));
        Assert.All(ofZero, n => Assert.Equal(0f, n.Similarity));
        Assert.DoesNotContain(index.Query(10, Count), n => n.Index == 10);
    }

    [Fact]
    public void K_is_capped_at_the_other_rows()
    {
        var index = new CosineNeighbourIndex([1, 0, 0, 1, 1, 1], 3, 2);
        var result = index.Query(0, 10);
        Assert.Equal([2, 1], result.Select(n => n.Index));
        Assert.Equal((float)Math.Sqrt(0.5), result[0].Similarity, 6);
        Assert.Empty(new CosineNeighbourIndex([1, 2], 1, 2).Query(0, 5));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new CosineNeighbourIndex(new float[5], 2, 3));
        var index = new CosineNeighbourIndex(new float[6], 2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Query(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Query(0, 0));
        Assert.Throws<ArgumentException>(() => new CosineNeighbourIndex([float.NaN, 1], 1, 2));
    }
}
