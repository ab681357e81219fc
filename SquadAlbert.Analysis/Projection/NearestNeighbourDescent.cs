using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>Tuning for <see cref="NearestNeighbourDescent"/>; null means pynndescent's rule for the data size.</summary>
public sealed record NearestNeighbourDescentOptions
{
    /// <summary>Default min(64, 5 + round(√n / 20)), as umap-learn.</summary>
    public int? TreeCount { get; init; }

    /// <summary>Default max(10, k).</summary>
    public int? LeafSize { get; init; }

    /// <summary>Default max(5, round(log2 n)), as umap-learn.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Default 60, as umap-learn asks of pynndescent.</summary>
    public int? MaxCandidates { get; init; }

    /// <summary>Stop once an iteration improves fewer than delta · n · k entries.</summary>
    public double Delta { get; init; } = 0.001;
}

/// <summary>
/// Approximate k nearest neighbours by NN-descent (Dong, Moses &amp; Li 2011) as pynndescent runs it: start from
/// random-projection-tree leaves, then repeatedly compare each point's neighbours with each other ("a neighbour of
/// a neighbour is likely a neighbour"), joining only pairs with at least one entry new since the last round.
/// </summary>
public static class NearestNeighbourDescent
{
    private const ulong CandidatePurpose = 0x6e6e64;
    private const ulong FillPurpose = 0x66696c;

    /// <param name="neighbourCount">Neighbours per point, the point itself included.</param>
    /// <param name="parallel">False gives the same graph for the same seed on every run.</param>
    public static KnnGraph Build(RowMatrix data, int neighbourCount, DistanceMetric metric, int seed, bool parallel = true,
        NearestNeighbourDescentOptions? options = null)
    {
        KnnGraphBuilder.ValidateNeighbourCount(data, neighbourCount);
        options ??= new NearestNeighbourDescentOptions();
        var n = data.Rows;
        var k = neighbourCount;
        var treeCount = options.TreeCount ?? Math.Min(64, 5 + (int)Math.Round(Math.Sqrt(n) / 20.0));
        var leafSize = options.LeafSize ?? Math.Max(10, k);
        var maxIterations = options.MaxIterations ?? Math.Max(5, (int)Math.Round(Math.Log2(n)));
        var maxCandidates = options.MaxCandidates ?? 60;
        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 };

        var points = PreparedPoints.From(data, metric);
        var heaps = new NeighbourHeaps(n, k);
        heaps.OfferSelves();
        var leaves = RandomProjectionForest.Leaves(points, treeCount, leafSize, seed, parallel);
        Parallel.ForEach(leaves, parallelOptions, leaf =>
        {
            for (var a = 0; a < leaf.Length; a++)
            {
                for (var b = a + 1; b < leaf.Length; b++)
                {
                    OfferPair(points, heaps, leaf[a], leaf[b]);
                }
            }
        });
        FillEmptySlots(points, heaps, seed);

        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var (fresh, old) = SampleCandidates(heaps, maxCandidates, seed, iteration, parallelOptions);
            long updates = 0;
            Parallel.For(0, n, parallelOptions, () => 0L, (point, _, local) => local + LocalJoin(points, heaps, fresh, old, point),
                local => Interlocked.Add(ref updates, local));
            if (updates <= options.Delta * n * k)
            {
                break;
            }
        }
        return heaps.ToGraph(points.ToDistance);
    }

    private static int OfferPair(PreparedPoints points, NeighbourHeaps heaps, int p, int q)
    {
        var key = points.Surrogate(p, q);
        if (key >= heaps.Worst(p) && key >= heaps.Worst(q))
        {
            return 0;
        }
        return (heaps.OfferLocked(p, q, key) ? 1 : 0) + (heaps.OfferLocked(q, p, key) ? 1 : 0);
    }

    /// <summary>Tiny leaves can leave a point short of k candidates; random ones fill in (NN-descent improves them).</summary>
    private static void FillEmptySlots(PreparedPoints points, NeighbourHeaps heaps, int seed)
    {
        for (var point = 0; point < heaps.PointCount; point++)
        {
            var random = RandomStreams.Stream(seed, FillPurpose, point);
            var attempts = 0;
            while (heaps.Indices.AsSpan(point * heaps.Size, heaps.Size).Contains(-1) && attempts++ < 4 * heaps.Size)
            {
                var other = random.NextBelow(heaps.PointCount);
                if (other != point)
                {
                    heaps.Offer(point, other, points.Surrogate(point, other));
                }
            }
        }
    }

    /// <summary>
    /// Each point's join candidates: its neighbours and the points that list it, split by the new flag and capped at
    /// maxCandidates by a random priority. The priority is a hash of (seed, iteration, pair), so the sample does not
    /// depend on thread timing.
    /// </summary>
    private static (NeighbourHeaps Fresh, NeighbourHeaps Old) SampleCandidates(NeighbourHeaps heaps, int maxCandidates,
        int seed, int iteration, ParallelOptions parallelOptions)
    {
        var fresh = new NeighbourHeaps(heaps.PointCount, maxCandidates);
        var old = new NeighbourHeaps(heaps.PointCount, maxCandidates);
        Parallel.For(0, heaps.PointCount, parallelOptions, point =>
        {
            for (var slot = point * heaps.Size; slot < (point + 1) * heaps.Size; slot++)
            {
                var neighbour = heaps.Indices[slot];
                if (neighbour < 0 || neighbour == point)
                {
                    continue;
                }
                var priority = RandomStreams.UnitFloat(RandomStreams.Hash((ulong)seed ^ CandidatePurpose, (ulong)iteration,
                    ((ulong)(uint)Math.Min(point, neighbour) << 32) | (uint)Math.Max(point, neighbour)));
                var target = heaps.IsNew[slot] ? fresh : old;
                target.OfferLocked(point, neighbour, priority);
                target.OfferLocked(neighbour, point, priority);
            }
        });
        // Entries sampled as new candidates have now had their chance: mark them old.
        Parallel.For(0, heaps.PointCount, parallelOptions, point =>
        {
            var sampled = fresh.Indices.AsSpan(point * maxCandidates, maxCandidates);
            for (var slot = point * heaps.Size; slot < (point + 1) * heaps.Size; slot++)
            {
                if (heaps.IsNew[slot] && sampled.Contains(heaps.Indices[slot]))
                {
                    heaps.IsNew[slot] = false;
                }
            }
        });
        return (fresh, old);
    }

    private static int LocalJoin(PreparedPoints points, NeighbourHeaps heaps, NeighbourHeaps fresh, NeighbourHeaps old, int point)
    {
        var size = fresh.Size;
        var freshRow = fresh.Indices.AsSpan(point * size, size);
        var oldRow = old.Indices.AsSpan(point * size, size);
        var updates = 0;
        for (var a = 0; a < size; a++)
        {
            var p = freshRow[a];
            if (p < 0)
            {
                continue;
            }
            for (var b = a + 1; b < size; b++)
            {
                var q = freshRow[b];
                if (q >= 0 && q != p)
                {
                    updates += OfferPair(points, heaps, p, q);
                }
            }
            foreach (var q in oldRow)
            {
                if (q >= 0 && q != p)
                {
                    updates += OfferPair(points, heaps, p, q);
                }
            }
        }
        return updates;
    }
}
