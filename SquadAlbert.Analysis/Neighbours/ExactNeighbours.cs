using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// The nearest other rows of each query, nearest first: <see cref="Width"/> neighbours per query, each with its
/// index and its key (see <see cref="ExactNeighbours.Key"/>).
/// </summary>
public sealed class NeighbourLists
{
    private readonly int[] _indices;
    private readonly float[] _keys;

    internal NeighbourLists(int[] indices, float[] keys, int queryCount, int width)
    {
        _indices = indices;
        _keys = keys;
        QueryCount = queryCount;
        Width = width;
    }

    public int QueryCount { get; }

    /// <summary>Neighbours per query: k, capped at the number of other rows.</summary>
    public int Width { get; }

    /// <summary>Row indices of the neighbours of query <paramref name="query"/> (its position in the request).</summary>
    public ReadOnlySpan<int> IndicesOf(int query) => _indices.AsSpan(query * Width, Width);

    /// <summary>Keys matching <see cref="IndicesOf"/>, ascending.</summary>
    public ReadOnlySpan<float> KeysOf(int query) => _keys.AsSpan(query * Width, Width);
}

/// <summary>
/// Exact k nearest neighbours among the rows of a matrix, by brute force: the one engine behind UMAP's exact kNN
/// graph, HDBSCAN's core distances and mutual reachability, and the sample neighbours.
/// </summary>
/// <remarks>
/// <para>Neighbours are ranked by a key, smaller is nearer: the squared Euclidean distance, or for cosine the
/// negated dot product of the L2-normalised rows (so a zero row, which has no direction, is at similarity 0 from
/// everything). Among equal keys the lower row index ranks first, so results are unique and reproducible. A query
/// is never its own neighbour; an identical row is.</para>
/// <para>The rows are also stored transposed in panels of 8 (one 256-bit lane per row), so that a tile of 4
/// queries × 16 rows accumulates in 8 vector registers by broadcast fused multiply-adds with no horizontal sums
/// (4 × 16 rather than wider, so that accumulators, loads and the Euclidean difference fit AVX2's 16 registers).
/// Blocks of rows are swept while they stay in L2, in parallel over query chunks (large batches) or over row
/// ranges (small batches), with a bounded heap per query. Cost: 2·d flops per (query, row) pair (3·d for
/// Euclidean); memory: one panel copy of the rows, plus a normalised copy for cosine.</para>
/// <para>Every key is the same sequence of single-precision fused multiply-adds over the d components in order,
/// whichever kernel or block computes it (and <see cref="Key"/> too), so equal rows get bit-identical keys and
/// ties are broken by index alone.</para>
/// </remarks>
public sealed class ExactNeighbours
{
    private const int Lanes = 8; // rows per panel = floats per Vector256
    private const int TileRows = 2 * Lanes;
    private const int TileQueries = 4;
    private const int RowBlock = 512; // rows swept per query tile while they stay in L2 (a multiple of TileRows)
    private const int QueryChunk = 64;

    /// <summary>Rows per tile: <see cref="KeysFrom"/> ranges start at multiples of it.</summary>
    internal const int RowAlignment = TileRows;

    private readonly RowMatrix _rows; // the broadcast side: the caller's rows (Euclidean) or a normalised copy (cosine)
    private readonly float[] _panels; // panel p: component c of row 8p + lane at [(p·d + c)·8 + lane]; zero rows pad to whole tiles
    private readonly int _paddedCount;

    /// <summary>
    /// Prepares <paramref name="points"/> for searching. For Euclidean the queries read the caller's rows, which
    /// must not change while the engine is in use.
    /// </summary>
    public ExactNeighbours(RowMatrix points, DistanceMetric metric)
    {
        foreach (var value in points.Values)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("points contain NaN or infinite values", nameof(points));
            }
        }
        Metric = metric;
        var count = Count = points.Rows;
        var dimension = Dimension = points.Columns;
        _rows = metric == DistanceMetric.Cosine ? VectorMath.NormalizedRows(points) : points;
        _paddedCount = (count + TileRows - 1) / TileRows * TileRows;
        _panels = new float[(long)_paddedCount * dimension];
        for (var r = 0; r < count; r++)
        {
            var panel = r / Lanes;
            var lane = r % Lanes;
            var row = _rows.Row(r);
            for (var c = 0; c < dimension; c++)
            {
                _panels[(((panel * dimension) + c) * Lanes) + lane] = row[c];
            }
        }
    }

    public DistanceMetric Metric { get; }

    public int Count { get; }

    public int Dimension { get; }

    /// <summary>
    /// The key of rows <paramref name="a"/> and <paramref name="b"/>, bit for bit as the searches compute it:
    /// Σ (a_c − b_c)² for Euclidean, −Σ â_c·b̂_c (the negated cosine similarity) for cosine.
    /// </summary>
    public float Key(int a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(b, Count);
        return Metric == DistanceMetric.Euclidean
            ? ScalarKey<SquaredDifference>(_rows.Row(a), _rows.Row(b))
            : ScalarKey<NegatedProduct>(_rows.Row(a), _rows.Row(b));
    }

    /// <summary>The metric's distance for a key: √key for Euclidean, 1 − similarity (at least 0) for cosine.</summary>
    public float ToDistance(float key) => Metric == DistanceMetric.Euclidean ? MathF.Sqrt(key) : MathF.Max(0f, 1f + key);

    /// <summary>The <paramref name="k"/> nearest other rows of every row.</summary>
    public NeighbourLists SearchAll(int k, bool parallel = true) => Search(Enumerable.Range(0, Count).ToArray(), k, parallel);

    /// <summary>
    /// The <paramref name="k"/> nearest other rows of each row index in <paramref name="queries"/> (list i belongs
    /// to queries[i]); k is capped at <see cref="Count"/> − 1.
    /// </summary>
    /// <param name="parallel">False runs on the calling thread only (the result is the same).</param>
    public NeighbourLists Search(IReadOnlyList<int> queries, int k, bool parallel = true)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var rows = queries.ToArray();
        foreach (var q in rows)
        {
            if ((uint)q >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(queries), q, $"row index outside 0..{Count - 1}");
            }
        }
        return Metric == DistanceMetric.Euclidean
            ? Search<SquaredDifference>(rows, k, parallel)
            : Search<NegatedProduct>(rows, k, parallel);
    }

    /// <summary>
    /// The keys from row <paramref name="query"/> to rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>)
    /// into <paramref name="keys"/> (key of row r at r − rowStart); rowStart must be a multiple of 16.
    /// </summary>
    internal void KeysFrom(int query, int rowStart, int rowEnd, Span<float> keys)
    {
        if (rowStart % RowAlignment != 0)
        {
            throw new ArgumentException($"rowStart {rowStart} is not a multiple of {RowAlignment}", nameof(rowStart));
        }
        if (Metric == DistanceMetric.Euclidean)
        {
            KeysFrom<SquaredDifference>(query, rowStart, rowEnd, keys);
        }
        else
        {
            KeysFrom<NegatedProduct>(query, rowStart, rowEnd, keys);
        }
    }

    private void KeysFrom<TKernel>(int query, int rowStart, int rowEnd, Span<float> keys)
        where TKernel : struct, IPairKernel
    {
        Span<float> tile = stackalloc float[TileRows];
        for (var row = rowStart; row < rowEnd; row += TileRows)
        {
            Tile1<TKernel>(query, row, tile);
            tile[..Math.Min(TileRows, rowEnd - row)].CopyTo(keys[(row - rowStart)..]);
        }
    }

    private NeighbourLists Search<TKernel>(int[] queries, int k, bool parallel)
        where TKernel : struct, IPairKernel
    {
        var width = Math.Min(k, Count - 1);
        var queryChunks = (queries.Length + QueryChunk - 1) / QueryChunk;
        // A small batch cannot keep the cores busy with query chunks alone, so the rows are split too and the
        // per-range heaps merged afterwards. Ranges are whole row blocks.
        var blocks = (_paddedCount + RowBlock - 1) / RowBlock;
        var workers = parallel ? Environment.ProcessorCount : 1;
        var rowRanges = Math.Clamp(workers * 2 / Math.Max(1, queryChunks), 1, Math.Max(1, blocks));
        var blocksPerRange = (blocks + rowRanges - 1) / rowRanges;
        var partial = new TopK[rowRanges][];
        for (var r = 0; r < rowRanges; r++)
        {
            partial[r] = new TopK[queries.Length];
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 };
        Parallel.For(0, queryChunks * rowRanges, options, task =>
        {
            var chunk = task / rowRanges;
            var range = task % rowRanges;
            var first = chunk * QueryChunk;
            var chunkQueries = queries.AsSpan(first, Math.Min(QueryChunk, queries.Length - first));
            var heaps = new TopK[chunkQueries.Length];
            for (var i = 0; i < heaps.Length; i++)
            {
                heaps[i] = new TopK(width);
            }
            var rowStart = Math.Min(_paddedCount, range * blocksPerRange * RowBlock);
            var rowEnd = Math.Min(_paddedCount, rowStart + (blocksPerRange * RowBlock));
            Sweep<TKernel>(chunkQueries, heaps, rowStart, rowEnd);
            heaps.CopyTo(partial[range], first);
        });
        var indices = new int[queries.Length * width];
        var keys = new float[queries.Length * width];
        for (var i = 0; i < queries.Length; i++)
        {
            var merged = partial[0][i];
            for (var r = 1; r < rowRanges; r++)
            {
                merged.OfferAll(partial[r][i]);
            }
            merged.CopySortedTo(indices.AsSpan(i * width, width), keys.AsSpan(i * width, width));
        }
        return new NeighbourLists(indices, keys, queries.Length, width);
    }

    /// <summary>All queries against rows [rowStart, rowEnd), both multiples of 16.</summary>
    private void Sweep<TKernel>(ReadOnlySpan<int> queries, TopK[] heaps, int rowStart, int rowEnd)
        where TKernel : struct, IPairKernel
    {
        // The kernels store their accumulators here instead of offering them directly: vector registers do not
        // survive calls, so accumulators live across a call would be kept in memory for the whole loop.
        Span<float> tile = stackalloc float[TileQueries * TileRows];
        for (var blockStart = rowStart; blockStart < rowEnd; blockStart += RowBlock)
        {
            var blockEnd = Math.Min(rowEnd, blockStart + RowBlock);
            var q = 0;
            for (; q + TileQueries <= queries.Length; q += TileQueries)
            {
                for (var row = blockStart; row < blockEnd; row += TileRows)
                {
                    Tile4<TKernel>(queries.Slice(q, TileQueries), row, tile);
                    for (var i = 0; i < TileQueries; i++)
                    {
                        Offer(heaps[q + i], queries[q + i], tile.Slice(i * TileRows, TileRows), row);
                    }
                }
            }
            for (; q < queries.Length; q++)
            {
                for (var row = blockStart; row < blockEnd; row += TileRows)
                {
                    Tile1<TKernel>(queries[q], row, tile);
                    Offer(heaps[q], queries[q], tile[..TileRows], row);
                }
            }
        }
    }

    /// <summary>Offers the keys of one query to 16 consecutive rows, skipping the query itself and padding rows.</summary>
    private void Offer(TopK heap, int query, ReadOnlySpan<float> keys, int firstRow)
    {
        ref var first = ref MemoryMarshal.GetReference(keys);
        var threshold = Vector256.Create(heap.Threshold);
        var candidates = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref first), threshold).ExtractMostSignificantBits()
            | (Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref first, Lanes), threshold).ExtractMostSignificantBits() << Lanes);
        while (candidates != 0)
        {
            var lane = BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            var row = firstRow + lane;
            if (row < Count && row != query)
            {
                heap.Offer(keys[lane], row);
            }
        }
    }

    private ref float QueryRow(int row) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rows.Values), (nint)row * Dimension);

    private ref float Panel(int firstRow) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_panels), (nint)firstRow * Dimension);

    // Every kernel computes lane j of an accumulator as the chain s = step(q[c], row_j[c], s) for c = 0..d−1 from
    // s = 0, then finishes it, exactly like ScalarKey: that is what makes ties exact across tiles, blocks and
    // batch sizes.

    private static float ScalarKey<TKernel>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TKernel : struct, IPairKernel
    {
        var sum = 0f;
        for (var c = 0; c < x.Length; c++)
        {
            sum = TKernel.Step(x[c], y[c], sum);
        }
        return TKernel.Finish(sum);
    }

    private void Tile1<TKernel>(int query, int firstRow, Span<float> tile)
        where TKernel : struct, IPairKernel
    {
        ref var q = ref QueryRow(query);
        ref var panel0 = ref Panel(firstRow);
        ref var panel1 = ref Panel(firstRow + Lanes);
        Vector256<float> a0 = default, a1 = default;
        var dimension = (nuint)Dimension; // a local, so the loop bound stays in a register
        for (nuint c = 0; c < dimension; c++)
        {
            var b = Vector256.Create(Unsafe.Add(ref q, c));
            a0 = TKernel.Step(b, Vector256.LoadUnsafe(ref panel0, c * Lanes), a0);
            a1 = TKernel.Step(b, Vector256.LoadUnsafe(ref panel1, c * Lanes), a1);
        }
        ref var t = ref MemoryMarshal.GetReference(tile);
        TKernel.Finish(a0).StoreUnsafe(ref t);
        TKernel.Finish(a1).StoreUnsafe(ref t, Lanes);
    }

    private void Tile4<TKernel>(ReadOnlySpan<int> queries, int firstRow, Span<float> tile)
        where TKernel : struct, IPairKernel
    {
        ref var q0 = ref QueryRow(queries[0]);
        ref var q1 = ref QueryRow(queries[1]);
        ref var q2 = ref QueryRow(queries[2]);
        ref var q3 = ref QueryRow(queries[3]);
        ref var panel0 = ref Panel(firstRow);
        ref var panel1 = ref Panel(firstRow + Lanes);
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
        var dimension = (nuint)Dimension; // a local, so the loop bound stays in a register
        for (nuint c = 0; c < dimension; c++)
        {
            var x0 = Vector256.LoadUnsafe(ref panel0, c * Lanes);
            var x1 = Vector256.LoadUnsafe(ref panel1, c * Lanes);
            var b = Vector256.Create(Unsafe.Add(ref q0, c));
            a00 = TKernel.Step(b, x0, a00);
            a01 = TKernel.Step(b, x1, a01);
            b = Vector256.Create(Unsafe.Add(ref q1, c));
            a10 = TKernel.Step(b, x0, a10);
            a11 = TKernel.Step(b, x1, a11);
            b = Vector256.Create(Unsafe.Add(ref q2, c));
            a20 = TKernel.Step(b, x0, a20);
            a21 = TKernel.Step(b, x1, a21);
            b = Vector256.Create(Unsafe.Add(ref q3, c));
            a30 = TKernel.Step(b, x0, a30);
            a31 = TKernel.Step(b, x1, a31);
        }
        ref var t = ref MemoryMarshal.GetReference(tile);
        TKernel.Finish(a00).StoreUnsafe(ref t, 0);
        TKernel.Finish(a01).StoreUnsafe(ref t, 8);
        TKernel.Finish(a10).StoreUnsafe(ref t, 16);
        TKernel.Finish(a11).StoreUnsafe(ref t, 24);
        TKernel.Finish(a20).StoreUnsafe(ref t, 32);
        TKernel.Finish(a21).StoreUnsafe(ref t, 40);
        TKernel.Finish(a30).StoreUnsafe(ref t, 48);
        TKernel.Finish(a31).StoreUnsafe(ref t, 56);
    }

    /// <summary>One step of a key's chain, in scalar and vector form (the two must round alike), and its finish.</summary>
    private interface IPairKernel
    {
        static abstract float Step(float query, float row, float sum);

        static abstract Vector256<float> Step(Vector256<float> query, Vector256<float> rows, Vector256<float> sum);

        static abstract float Finish(float sum);

        static abstract Vector256<float> Finish(Vector256<float> sums);
    }

    /// <summary>Squared Euclidean distance: the difference is rounded once, then squared and added in one rounding.</summary>
    private readonly struct SquaredDifference : IPairKernel
    {
        public static float Step(float query, float row, float sum)
        {
            var difference = query - row;
            return MathF.FusedMultiplyAdd(difference, difference, sum);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Step(Vector256<float> query, Vector256<float> rows, Vector256<float> sum)
        {
            var difference = query - rows;
            return Vector256.FusedMultiplyAdd(difference, difference, sum);
        }

        public static float Finish(float sum) => sum;

        public static Vector256<float> Finish(Vector256<float> sums) => sums;
    }

    /// <summary>Negated dot product: nearest = most similar.</summary>
    private readonly struct NegatedProduct : IPairKernel
    {
        public static float Step(float query, float row, float sum) => MathF.FusedMultiplyAdd(query, row, sum);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Step(Vector256<float> query, Vector256<float> rows, Vector256<float> sum) =>
            Vector256.FusedMultiplyAdd(query, rows, sum);

        public static float Finish(float sum) => -sum;

        public static Vector256<float> Finish(Vector256<float> sums) => -sums;
    }
}
