using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Benchmarks.KnnReference;

/// <summary>
/// The knn benchmark's reference: the sample neighbours' exact cosine index as it was before the shared engine
/// (<c>CosineNeighbourIndex</c> at c5e9fc5, Vector512 panels and its own similarity heap), unchanged but renamed.
/// </summary>
/// <remarks>
/// <para>The rows are L2-normalised once, so cosine similarity is a dot product and a batch of queries is a
/// matrix product of the query rows with all rows. The rows are also stored transposed in panels of 16 (one
/// 512-bit lane per row), so that a tile of 8 queries × 32 rows accumulates in 16 vector registers by broadcast
/// fused multiply-adds, with no horizontal sums; blocks of rows are swept while they stay in L2, in parallel over
/// query chunks (large batches) or over row ranges (small batches), with a bounded heap per query.
/// Cost: 2·d flops per (query, row) pair; memory: two normalised copies plus k per query.</para>
/// <para>Every similarity is the same sequence of single-precision fused multiply-adds over the d components in
/// order, whichever kernel or block computes it, so equal rows get bit-identical similarities and ties are broken
/// by index alone: results are ordered by descending similarity, then ascending row index. The query itself is
/// never its own neighbour; an identical row is.</para>
/// <para>Zero rows have no direction: their similarity to every row (including other zero rows) is defined as 0.
/// A zero query therefore returns the k lowest-numbered other rows, each with similarity 0.</para>
/// </remarks>
internal sealed class Vector512CosineIndex
{
    private const int Lanes = 16; // rows per panel = floats per Vector512
    private const int PairRows = 2 * Lanes; // rows per kernel tile
    private const int TileQueries = 8;
    private const int RowBlock = 256; // rows swept per query tile while they stay in L2 (a multiple of PairRows)
    private const int QueryChunk = 64;

    private readonly RowMatrix _unitRows; // normalised rows, the broadcast side
    private readonly float[] _panels; // panel p: component c of row 16p + lane at [(p·d + c)·16 + lane]; zero rows pad to whole pairs
    private readonly int _paddedCount;

    /// <summary>Normalises a copy of <paramref name="embeddings"/> (count × dimension, row-major).</summary>
    public Vector512CosineIndex(float[] embeddings, int count, int dimension)
        : this(new RowMatrix(embeddings, count, dimension, nameof(embeddings)))
    {
    }

    /// <summary>Normalises a copy of <paramref name="embeddings"/>.</summary>
    public Vector512CosineIndex(RowMatrix embeddings)
    {
        var count = Count = embeddings.Rows;
        var dimension = Dimension = embeddings.Columns;
        _unitRows = VectorMath.NormalizedRows(embeddings);
        _paddedCount = (count + PairRows - 1) / PairRows * PairRows;
        _panels = new float[(long)_paddedCount * dimension];
        for (var r = 0; r < count; r++)
        {
            var panel = r / Lanes;
            var lane = r % Lanes;
            for (var c = 0; c < dimension; c++)
            {
                _panels[(((panel * dimension) + c) * Lanes) + lane] = _unitRows.Values[(r * dimension) + c];
            }
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Number of columns (embedding dimension).</summary>
    public int Dimension { get; }

    /// <summary>Cosine similarity of rows <paramref name="a"/> and <paramref name="b"/>, bit for bit as the queries compute it.</summary>
    public float Similarity(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, Count);
        var x = _unitRows.Row(a);
        var y = _unitRows.Row(b);
        var sum = 0f;
        for (var c = 0; c < Dimension; c++)
        {
            sum = MathF.FusedMultiplyAdd(x[c], y[c], sum);
        }
        return sum;
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
        // per-range heaps merged afterwards. Ranges are whole row blocks.
        var blocks = (_paddedCount + RowBlock - 1) / RowBlock;
        var rowRanges = Math.Clamp(Environment.ProcessorCount * 2 / Math.Max(1, queryChunks), 1, Math.Max(1, blocks));
        var blocksPerRange = (blocks + rowRanges - 1) / rowRanges;
        var partial = new SimilarityTopK[rowRanges][];
        for (var r = 0; r < rowRanges; r++)
        {
            partial[r] = new SimilarityTopK[queries.Length];
        }
        Parallel.For(0, queryChunks * rowRanges, task =>
        {
            var chunk = task / rowRanges;
            var range = task % rowRanges;
            var first = chunk * QueryChunk;
            var chunkQueries = queries.AsSpan(first, Math.Min(QueryChunk, queries.Length - first));
            var heaps = new SimilarityTopK[chunkQueries.Length];
            for (var i = 0; i < heaps.Length; i++)
            {
                heaps[i] = new SimilarityTopK(capacity);
            }
            var rowStart = Math.Min(_paddedCount, range * blocksPerRange * RowBlock);
            var rowEnd = Math.Min(_paddedCount, rowStart + (blocksPerRange * RowBlock));
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

    /// <summary>All queries against rows [rowStart, rowEnd), both multiples of 32.</summary>
    private void Sweep(ReadOnlySpan<int> queries, SimilarityTopK[] heaps, int rowStart, int rowEnd)
    {
        // The kernels store their accumulators here instead of offering them directly: vector registers do not
        // survive calls, so accumulators live across a call would be kept in memory for the whole loop.
        Span<float> tile = stackalloc float[TileQueries * PairRows];
        for (var blockStart = rowStart; blockStart < rowEnd; blockStart += RowBlock)
        {
            var blockEnd = Math.Min(rowEnd, blockStart + RowBlock);
            var q = 0;
            for (; q + TileQueries <= queries.Length; q += TileQueries)
            {
                for (var row = blockStart; row < blockEnd; row += PairRows)
                {
                    Tile8x32(queries.Slice(q, TileQueries), row, tile);
                    for (var i = 0; i < TileQueries; i++)
                    {
                        Offer(heaps[q + i], queries[q + i], tile.Slice(i * PairRows, PairRows), row);
                    }
                }
            }
            for (; q < queries.Length; q++)
            {
                for (var row = blockStart; row < blockEnd; row += PairRows)
                {
                    Tile1x32(queries[q], row, tile);
                    Offer(heaps[q], queries[q], tile[..PairRows], row);
                }
            }
        }
    }

    private ref float QueryRow(int row) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_unitRows.Values), (nint)row * Dimension);

    private ref float Panel(int firstRow) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_panels), (nint)firstRow * Dimension);

    /// <summary>Offers the similarities of one query to 32 consecutive rows, skipping the query itself and padding rows.</summary>
    private void Offer(SimilarityTopK heap, int query, ReadOnlySpan<float> similarities, int firstRow)
    {
        ref var first = ref MemoryMarshal.GetReference(similarities);
        var threshold = Vector512.Create(heap.Threshold);
        var candidates = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref first), threshold).ExtractMostSignificantBits()
            | (Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref first, Lanes), threshold).ExtractMostSignificantBits() << Lanes);
        while (candidates != 0)
        {
            var lane = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            var row = firstRow + lane;
            if (row < Count && row != query)
            {
                heap.Offer(similarities[lane], row);
            }
        }
    }

    // Both kernels compute lane j of an accumulator as the chain s = fma(q[c], row_j[c], s) for c = 0..d−1 from
    // s = 0, exactly like Similarity: that is what makes ties exact across tiles, blocks and batch sizes.

    private void Tile1x32(int query, int firstRow, Span<float> tile)
    {
        ref var q = ref QueryRow(query);
        ref var panel0 = ref Panel(firstRow);
        ref var panel1 = ref Panel(firstRow + Lanes);
        Vector512<float> a0 = default, a1 = default;
        var dimension = (nuint)Dimension; // a local, so the loop bound stays in a register
        for (nuint c = 0; c < dimension; c++)
        {
            var b = Vector512.Create(Unsafe.Add(ref q, c));
            a0 = Vector512.FusedMultiplyAdd(b, Vector512.LoadUnsafe(ref panel0, c * Lanes), a0);
            a1 = Vector512.FusedMultiplyAdd(b, Vector512.LoadUnsafe(ref panel1, c * Lanes), a1);
        }
        ref var t = ref MemoryMarshal.GetReference(tile);
        a0.StoreUnsafe(ref t);
        a1.StoreUnsafe(ref t, Lanes);
    }

    private void Tile8x32(ReadOnlySpan<int> queries, int firstRow, Span<float> tile)
    {
        ref var q0 = ref QueryRow(queries[0]);
        ref var q1 = ref QueryRow(queries[1]);
        ref var q2 = ref QueryRow(queries[2]);
        ref var q3 = ref QueryRow(queries[3]);
        ref var q4 = ref QueryRow(queries[4]);
        ref var q5 = ref QueryRow(queries[5]);
        ref var q6 = ref QueryRow(queries[6]);
        ref var q7 = ref QueryRow(queries[7]);
        ref var panel0 = ref Panel(firstRow);
        ref var panel1 = ref Panel(firstRow + Lanes);
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<float> a20 = default, a21 = default, a30 = default, a31 = default;
        Vector512<float> a40 = default, a41 = default, a50 = default, a51 = default;
        Vector512<float> a60 = default, a61 = default, a70 = default, a71 = default;
        var dimension = (nuint)Dimension; // a local, so the loop bound stays in a register
        for (nuint c = 0; c < dimension; c++)
        {
            var x0 = Vector512.LoadUnsafe(ref panel0, c * Lanes);
            var x1 = Vector512.LoadUnsafe(ref panel1, c * Lanes);
            var b = Vector512.Create(Unsafe.Add(ref q0, c));
            a00 = Vector512.FusedMultiplyAdd(b, x0, a00);
            a01 = Vector512.FusedMultiplyAdd(b, x1, a01);
            b = Vector512.Create(Unsafe.Add(ref q1, c));
            a10 = Vector512.FusedMultiplyAdd(b, x0, a10);
            a11 = Vector512.FusedMultiplyAdd(b, x1, a11);
            b = Vector512.Create(Unsafe.Add(ref q2, c));
            a20 = Vector512.FusedMultiplyAdd(b, x0, a20);
            a21 = Vector512.FusedMultiplyAdd(b, x1, a21);
            b = Vector512.Create(Unsafe.Add(ref q3, c));
            a30 = Vector512.FusedMultiplyAdd(b, x0, a30);
            a31 = Vector512.FusedMultiplyAdd(b, x1, a31);
            b = Vector512.Create(Unsafe.Add(ref q4, c));
            a40 = Vector512.FusedMultiplyAdd(b, x0, a40);
            a41 = Vector512.FusedMultiplyAdd(b, x1, a41);
            b = Vector512.Create(Unsafe.Add(ref q5, c));
            a50 = Vector512.FusedMultiplyAdd(b, x0, a50);
            a51 = Vector512.FusedMultiplyAdd(b, x1, a51);
            b = Vector512.Create(Unsafe.Add(ref q6, c));
            a60 = Vector512.FusedMultiplyAdd(b, x0, a60);
            a61 = Vector512.FusedMultiplyAdd(b, x1, a61);
            b = Vector512.Create(Unsafe.Add(ref q7, c));
            a70 = Vector512.FusedMultiplyAdd(b, x0, a70);
            a71 = Vector512.FusedMultiplyAdd(b, x1, a71);
        }
        ref var t = ref MemoryMarshal.GetReference(tile);
        a00.StoreUnsafe(ref t, 0);
        a01.StoreUnsafe(ref t, 16);
        a10.StoreUnsafe(ref t, 32);
        a11.StoreUnsafe(ref t, 48);
        a20.StoreUnsafe(ref t, 64);
        a21.StoreUnsafe(ref t, 80);
        a30.StoreUnsafe(ref t, 96);
        a31.StoreUnsafe(ref t, 112);
        a40.StoreUnsafe(ref t, 128);
        a41.StoreUnsafe(ref t, 144);
        a50.StoreUnsafe(ref t, 160);
        a51.StoreUnsafe(ref t, 176);
        a60.StoreUnsafe(ref t, 192);
        a61.StoreUnsafe(ref t, 208);
        a70.StoreUnsafe(ref t, 224);
        a71.StoreUnsafe(ref t, 240);
    }
}
