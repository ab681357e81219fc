using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// Exact cosine nearest neighbours among the rows of an n × d embedding matrix.
/// </summary>
/// <remarks>
/// <para>The rows are L2-normalised once, so cosine similarity is a dot product and a batch of queries is a
/// matrix product of the query rows with all rows, computed in cache-sized blocks of 4 × 4 row pairs with 512-bit
/// fused multiply-adds, in parallel over query chunks (large batches) or over row ranges (small batches), with a
/// bounded heap per query. Cost: 2·d flops per (query, row) pair; memory: the normalised copy plus k per query.</para>
/// <para>Every similarity is computed by the same arithmetic whichever block it falls in, so equal rows get
/// bit-identical similarities and ties are broken by index alone: results are ordered by descending similarity,
/// then ascending row index. The query itself is never its own neighbour; an identical row is.</para>
/// <para>Zero rows have no direction: their similarity to every row (including other zero rows) is defined as 0.
/// A zero query therefore returns the k lowest-numbered other rows, each with similarity 0.</para>
/// </remarks>
public sealed class CosineNeighbourIndex
{
    private const int Lanes = 16; // floats per Vector512
    private const int RowBlock = 256; // rows of a block kept in L2 while a query chunk sweeps it
    private const int QueryChunk = 64;

    private readonly float[] _unitRows; // row-major, each row zero-padded to _stride floats
    private readonly int _stride;

    /// <summary>Normalises a copy of <paramref name="embeddings"/> (count × dimension, row-major).</summary>
    public CosineNeighbourIndex(float[] embeddings, int count, int dimension)
    {
        RowVectors.RequireShape(embeddings, count, dimension, nameof(embeddings));
        Count = count;
        Dimension = dimension;
        _stride = (dimension + Lanes - 1) / Lanes * Lanes;
        _unitRows = new float[(long)count * _stride];
        for (var r = 0; r < count; r++)
        {
            var row = _unitRows.AsSpan(r * _stride, dimension);
            RowVectors.Row(embeddings, r, dimension).CopyTo(row);
            RowVectors.NormalizeInPlace(row);
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Number of columns (embedding dimension).</summary>
    public int Dimension { get; }

    /// <summary>Cosine similarity of rows <paramref name="a"/> and <paramref name="b"/>, exactly as the queries compute it.</summary>
    public float Similarity(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, Count);
        return Dot1x1(ref Start(a), ref Start(b));
    }

    /// <summary>The <paramref name="k"/> rows most similar to row <paramref name="sample"/> (fewer if the matrix has fewer other rows).</summary>
    public Neighbour[] Query(int sample, int k) => QueryBatch([sample], k)[0];

    /// <summary>Top-<paramref name="k"/> neighbours of every row.</summary>
    public Neighbour[][] QueryAll(int k) => QueryBatch(Enumerable.Range(0, Count).ToArray(), k);

    /// <summary>
    /// The <paramref name="k"/> most similar other rows for each row index in <paramref name="samples"/>, best first
    /// (result i belongs to samples[i]). k is capped at Count − 1.
    /// </summary>
    public Neighbour[][] QueryBatch(IReadOnlyList<int> samples, int k)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var queries = samples.ToArray();
        foreach (var q in queries)
        {
            if ((uint)q >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(samples), q, $"sample index outside 0..{Count - 1}");
            }
        }
        var capacity = Math.Min(k, Count - 1);
        var queryChunks = (queries.Length + QueryChunk - 1) / QueryChunk;
        // A small batch cannot keep the cores busy with query chunks alone, so the rows are split too and the
        // per-range heaps merged afterwards.
        var rowRanges = Math.Clamp(Environment.ProcessorCount * 2 / Math.Max(1, queryChunks), 1, Math.Max(1, Count / RowBlock));
        var rowsPerRange = (Count + rowRanges - 1) / rowRanges;
        var partial = new TopK[rowRanges][];
        for (var r = 0; r < rowRanges; r++)
        {
            partial[r] = new TopK[queries.Length];
        }
        Parallel.For(0, queryChunks * rowRanges, task =>
        {
            var chunk = task / rowRanges;
            var range = task % rowRanges;
            var first = chunk * QueryChunk;
            var chunkQueries = queries.AsSpan(first, Math.Min(QueryChunk, queries.Length - first));
            var heaps = new TopK[chunkQueries.Length];
            for (var i = 0; i < heaps.Length; i++)
            {
                heaps[i] = new TopK(capacity);
            }
            var rowStart = range * rowsPerRange;
            var rowEnd = Math.Min(Count, rowStart + rowsPerRange);
            Sweep(chunkQueries, heaps, rowStart, rowEnd);
            heaps.CopyTo(partial[range], first);
        });
        var results = new Neighbour[queries.Length][];
        for (var i = 0; i < queries.Length; i++)
        {
            var merged = partial[0][i];
            for (var r = 1; r < rowRanges; r++)
            {
                merged.OfferAll(partial[r][i]);
            }
            results[i] = merged.ToSortedArray();
        }
        return results;
    }

    private void Sweep(ReadOnlySpan<int> queries, TopK[] heaps, int rowStart, int rowEnd)
    {
        Span<float> tile = stackalloc float[16];
        for (var blockStart = rowStart; blockStart < rowEnd; blockStart += RowBlock)
        {
            var blockEnd = Math.Min(rowEnd, blockStart + RowBlock);
            var q = 0;
            for (; q + 4 <= queries.Length; q += 4)
            {
                var row = blockStart;
                for (; row + 4 <= blockEnd; row += 4)
                {
                    Dot4x4(queries.Slice(q, 4), row, tile);
                    for (var i = 0; i < 4; i++)
                    {
                        for (var j = 0; j < 4; j++)
                        {
                            Offer(heaps[q + i], queries[q + i], tile[(i * 4) + j], row + j);
                        }
                    }
                }
                for (; row < blockEnd; row++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        Offer(heaps[q + i], queries[q + i], Dot1x1(ref Start(queries[q + i]), ref Start(row)), row);
                    }
                }
            }
            for (; q < queries.Length; q++)
            {
                var row = blockStart;
                for (; row + 4 <= blockEnd; row += 4)
                {
                    Dot1x4(queries[q], row, tile);
                    for (var j = 0; j < 4; j++)
                    {
                        Offer(heaps[q], queries[q], tile[j], row + j);
                    }
                }
                for (; row < blockEnd; row++)
                {
                    Offer(heaps[q], queries[q], Dot1x1(ref Start(queries[q]), ref Start(row)), row);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(TopK heap, int query, float similarity, int row)
    {
        if (similarity >= heap.Threshold && row != query)
        {
            heap.Offer(similarity, row);
        }
    }

    private ref float Start(int row) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_unitRows), (nint)row * _stride);

    // The three kernels below must stay arithmetically identical per pair: lane-wise fused multiply-adds over the
    // 16-float chunks in order, then one Vector512.Sum. That is what makes ties exact across block edges.

    private float Dot1x1(ref float a, ref float b)
    {
        var acc = Vector512<float>.Zero;
        for (nuint c = 0; c < (nuint)_stride; c += Lanes)
        {
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, c), Vector512.LoadUnsafe(ref b, c), acc);
        }
        return Vector512.Sum(acc);
    }

    private void Dot1x4(int query, int row, Span<float> tile)
    {
        ref var q = ref Start(query);
        ref var r0 = ref Start(row);
        ref var r1 = ref Start(row + 1);
        ref var r2 = ref Start(row + 2);
        ref var r3 = ref Start(row + 3);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (nuint c = 0; c < (nuint)_stride; c += Lanes)
        {
            var qv = Vector512.LoadUnsafe(ref q, c);
            a0 = Vector512.FusedMultiplyAdd(qv, Vector512.LoadUnsafe(ref r0, c), a0);
            a1 = Vector512.FusedMultiplyAdd(qv, Vector512.LoadUnsafe(ref r1, c), a1);
            a2 = Vector512.FusedMultiplyAdd(qv, Vector512.LoadUnsafe(ref r2, c), a2);
            a3 = Vector512.FusedMultiplyAdd(qv, Vector512.LoadUnsafe(ref r3, c), a3);
        }
        tile[0] = Vector512.Sum(a0);
        tile[1] = Vector512.Sum(a1);
        tile[2] = Vector512.Sum(a2);
        tile[3] = Vector512.Sum(a3);
    }

    private void Dot4x4(ReadOnlySpan<int> queries, int row, Span<float> tile)
    {
        ref var q0 = ref Start(queries[0]);
        ref var q1 = ref Start(queries[1]);
        ref var q2 = ref Start(queries[2]);
        ref var q3 = ref Start(queries[3]);
        ref var r0 = ref Start(row);
        ref var r1 = ref Start(row + 1);
        ref var r2 = ref Start(row + 2);
        ref var r3 = ref Start(row + 3);
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (nuint c = 0; c < (nuint)_stride; c += Lanes)
        {
            var x0 = Vector512.LoadUnsafe(ref r0, c);
            var x1 = Vector512.LoadUnsafe(ref r1, c);
            var x2 = Vector512.LoadUnsafe(ref r2, c);
            var x3 = Vector512.LoadUnsafe(ref r3, c);
            var v = Vector512.LoadUnsafe(ref q0, c);
            a00 = Vector512.FusedMultiplyAdd(v, x0, a00);
            a01 = Vector512.FusedMultiplyAdd(v, x1, a01);
            a02 = Vector512.FusedMultiplyAdd(v, x2, a02);
            a03 = Vector512.FusedMultiplyAdd(v, x3, a03);
            v = Vector512.LoadUnsafe(ref q1, c);
            a10 = Vector512.FusedMultiplyAdd(v, x0, a10);
            a11 = Vector512.FusedMultiplyAdd(v, x1, a11);
            a12 = Vector512.FusedMultiplyAdd(v, x2, a12);
            a13 = Vector512.FusedMultiplyAdd(v, x3, a13);
            v = Vector512.LoadUnsafe(ref q2, c);
            a20 = Vector512.FusedMultiplyAdd(v, x0, a20);
            a21 = Vector512.FusedMultiplyAdd(v, x1, a21);
            a22 = Vector512.FusedMultiplyAdd(v, x2, a22);
            a23 = Vector512.FusedMultiplyAdd(v, x3, a23);
            v = Vector512.LoadUnsafe(ref q3, c);
            a30 = Vector512.FusedMultiplyAdd(v, x0, a30);
            a31 = Vector512.FusedMultiplyAdd(v, x1, a31);
            a32 = Vector512.FusedMultiplyAdd(v, x2, a32);
            a33 = Vector512.FusedMultiplyAdd(v, x3, a33);
        }
        tile[0] = Vector512.Sum(a00);
        tile[1] = Vector512.Sum(a01);
        tile[2] = Vector512.Sum(a02);
        tile[3] = Vector512.Sum(a03);
        tile[4] = Vector512.Sum(a10);
        tile[5] = Vector512.Sum(a11);
        tile[6] = Vector512.Sum(a12);
        tile[7] = Vector512.Sum(a13);
        tile[8] = Vector512.Sum(a20);
        tile[9] = Vector512.Sum(a21);
        tile[10] = Vector512.Sum(a22);
        tile[11] = Vector512.Sum(a23);
        tile[12] = Vector512.Sum(a30);
        tile[13] = Vector512.Sum(a31);
        tile[14] = Vector512.Sum(a32);
        tile[15] = Vector512.Sum(a33);
    }
}
