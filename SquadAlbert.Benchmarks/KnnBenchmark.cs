using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;
using SquadAlbert.Benchmarks.KnnReference;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// The shared exact kNN engine against the three searches it replaced, each measured in this process on the same
/// n random 256-D unit vectors with k = 15: UMAP's exact graph (Euclidean), the sample neighbours (cosine) and
/// HDBSCAN's core distances, with a check that old and new find the same neighbours. Then the per-pair kernels
/// that the approximate searches still use: the hand-written <see cref="VectorMath"/> against
/// <see cref="TensorPrimitives"/>. The machine is shared, so each line gives the best of a few runs and the CPU
/// seconds per run, which other processes disturb much less than wall time.
/// </summary>
internal static class KnnBenchmark
{
    private const int Dimension = 256;
    private const int K = 15;

    public static int Run(bool quick, int? size)
    {
        var count = size ?? (quick ? 2_000 : 10_000);
        var rounds = quick ? 2 : 3;
        var data = UnitVectors(count, Dimension, seed: 42);
        Console.WriteLine(Invariant($"cores: {Environment.ProcessorCount}, load average: {LoadAverage()}, n = {count}, d = {Dimension}, k = {K}, best of {rounds}"));
        WarmUp();

        Console.WriteLine("search                          old s   new s  old/new wall  old/new CPU  same neighbours");
        KnnGraph? oldGraph = null, newGraph = null;
        Compare("UMAP exact graph (euclidean)", rounds,
            () => oldGraph = TiledPairwiseKnn.Build(data, K),
            () => newGraph = KnnGraphBuilder.Exact(data, K, DistanceMetric.Euclidean),
            () => SameLists(data, i => oldGraph!.NeighboursOf(i).ToArray(), i => newGraph!.NeighboursOf(i).ToArray()));

        var oldIndex = new Vector512CosineIndex(data);
        var newIndex = new CosineNeighbourIndex(data);
        Neighbour[][]? oldLists = null, newLists = null;
        Compare("sample neighbours (cosine)", rounds,
            () => oldLists = oldIndex.QueryAll(K),
            () => newLists = newIndex.QueryAll(K),
            () => SameLists(data, i => oldLists![i].Select(n => n.Index).ToArray(), i => newLists![i].Select(n => n.Index).ToArray()));

        float[]? oldCores = null;
        MutualReachability? space = null;
        Compare("HDBSCAN core distances", rounds,
            () => oldCores = TiledPairwiseKnn.SquaredCoreDistances(data, K),
            () => space = new MutualReachability(data, K),
            () => Invariant($"max relative difference {MaxRelativeDifference(oldCores!, space!.SquaredCoreDistances.ToArray()):E1}"));

        // HDBSCAN's other O(n²) stage, at the dimensions it meets in the product (UMAP 2-D, PCA 50-D).
        foreach (var dimension in new[] { 2, 50 })
        {
            var low = UnitVectors(count, dimension, seed: dimension);
            var lowSpace = new MutualReachability(low, K);
            var cores = lowSpace.SquaredCoreDistances.ToArray();
            float[]? oldReaches = null;
            SpanningEdge[]? newEdges = null;
            Compare(Invariant($"HDBSCAN spanning tree (d={dimension})"), rounds,
                () => oldReaches = TiledPairwiseKnn.SpanningTreeSquaredReaches(low, cores),
                () => newEdges = lowSpace.MinimumSpanningTree(),
                () => Invariant($"total weight old/new {oldReaches!.Sum(r => Math.Sqrt(r)) / newEdges!.Sum(e => e.Distance):F9}"));
        }

        Console.WriteLine();
        Console.WriteLine("per-pair kernel (d)                VectorMath ns  TensorPrimitives ns  VectorMath/TensorPrimitives");
        foreach (var dimension in new[] { 768, 384, 256, 16, 2 })
        {
            var rows = UnitVectors(128, dimension, seed: dimension);
            ComparePairs($"dot ({dimension})", rows,
                (x, y) => VectorMath.Dot(x, y),
                (x, y) => TensorPrimitives.Dot(x, y));
            ComparePairs($"squared euclidean ({dimension})", rows,
                (x, y) => VectorMath.SquaredEuclidean(x, y),
                (x, y) => Squared(TensorPrimitives.Distance(x, y)));
        }
        return 0;
    }

    private static float Squared(float x) => x * x;

    private static void Compare(string name, int rounds, Action old, Action @new, Func<string> agreement)
    {
        var (oldWall, oldCpu) = Best(rounds, old);
        var (newWall, newCpu) = Best(rounds, @new);
        Console.WriteLine(Invariant($"{name,-30}{oldWall,7:F2}{newWall,8:F2}{oldWall / newWall,13:F2}x{oldCpu / newCpu,12:F2}x  {agreement()}"));
    }

    private static (double Wall, double Cpu) Best(int rounds, Action action)
    {
        var wall = double.MaxValue;
        var cpu = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            wall = Math.Min(wall, watch.Elapsed.TotalSeconds);
            cpu = Math.Min(cpu, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        return (wall, cpu);
    }

    private delegate float PairKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

    /// <summary>All pairs of 128 rows (which stay in L2 up to d = 768), on one thread; ns per pair, best of 5 passes.</summary>
    private static void ComparePairs(string name, RowMatrix rows, PairKernel old, PairKernel @new)
    {
        var oldNs = PairNanoseconds(rows, old);
        var newNs = PairNanoseconds(rows, @new);
        Console.WriteLine(Invariant($"{name,-35}{oldNs,13:F1}{newNs,21:F1}{oldNs / newNs,28:F2}x"));
    }

    private static double PairNanoseconds(RowMatrix rows, PairKernel kernel)
    {
        const int Repeats = 8;
        var best = double.MaxValue;
        var sink = 0f;
        for (var pass = 0; pass < 6; pass++)
        {
            var watch = Stopwatch.StartNew();
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                for (var q = 0; q < rows.Rows; q++)
                {
                    for (var j = 0; j < rows.Rows; j++)
                    {
                        sink += kernel(rows.Row(q), rows.Row(j));
                    }
                }
            }
            // The first pass is the JIT's warm-up.
            if (pass > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalSeconds * 1e9 / (Repeats * rows.Rows * rows.Rows));
            }
        }
        GC.KeepAlive(sink);
        return best;
    }

    private static void WarmUp()
    {
        // Long enough for tiered JIT to replace the first-tier code of every kernel before anything is timed.
        var small = UnitVectors(600, Dimension, seed: 1);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 1.5)
        {
            TiledPairwiseKnn.Build(small, K);
            KnnGraphBuilder.Exact(small, K, DistanceMetric.Euclidean);
            new Vector512CosineIndex(small).QueryAll(K);
            new CosineNeighbourIndex(small).QueryAll(K);
            TiledPairwiseKnn.SquaredCoreDistances(small, K);
            new MutualReachability(small, K).MinimumSpanningTree();
            TiledPairwiseKnn.SpanningTreeSquaredReaches(small, new float[small.Rows]);
        }
    }

    /// <summary>
    /// How many lists are equal and, where they differ, how far apart the distances at the first differing position
    /// are in double precision: summing the same floats in another order moves a distance by about 1e-7 of itself,
    /// so lists may only differ where two neighbours are that close to a tie.
    /// </summary>
    private static string SameLists(RowMatrix data, Func<int, int[]> old, Func<int, int[]> @new)
    {
        var same = 0;
        var widestGap = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            var (a, b) = (old(i), @new(i));
            var at = Enumerable.Range(0, a.Length).FirstOrDefault(p => a[p] != b[p], -1);
            if (at < 0)
            {
                same++;
                continue;
            }
            var (x, y) = (ExactDistance(data, i, a[at]), ExactDistance(data, i, b[at]));
            widestGap = Math.Max(widestGap, Math.Abs(x - y) / Math.Max(x, y));
        }
        return Invariant($"{same}/{data.Rows} lists") + (same == data.Rows ? "" : Invariant($", others differ at near-ties (relative gap ≤ {widestGap:E1})"));
    }

    private static double ExactDistance(RowMatrix data, int a, int b)
    {
        var sum = 0.0;
        for (var c = 0; c < data.Columns; c++)
        {
            var difference = (double)data.Row(a)[c] - data.Row(b)[c];
            sum += difference * difference;
        }
        return Math.Sqrt(sum);
    }

    private static double MaxRelativeDifference(float[] a, float[] b) =>
        a.Zip(b).Max(pair => Math.Abs(pair.First - pair.Second) / Math.Max(1e-30, Math.Abs(pair.First)));

    private static RowMatrix UnitVectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dimension];
        for (var i = 0; i < values.Length; i++)
        {
            // Box–Muller: Gaussian components give directions uniform on the sphere once normalised.
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return VectorMath.NormalizedRows(new RowMatrix(values, count, dimension));
    }

    private static string LoadAverage()
    {
        const string Path = "/proc/loadavg";
        return File.Exists(Path) ? string.Join(' ', File.ReadAllText(Path).Split(' ').Take(3)) : "n/a";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
