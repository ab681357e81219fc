using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;
using SquadAlbert.Testing;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// UMAP throughput (points/s) on synthetic 256-D Gaussian clusters, broken down by stage, in parallel (Hogwild)
/// mode with umap-learn's defaults. The 10k set also gets an exact brute-force kNN as the in-run reference for
/// NN-descent's recall and speed; larger sets get recall on a sample of queries checked by brute force.
/// </summary>
internal static class UmapBenchmark
{
    private const int Dimensions = 256;
    private const int NeighbourCount = 15;
    private const int SampledQueries = 1000;

    public static int Run(IReadOnlyList<int> sizes)
    {
        Console.WriteLine($"cores: {Environment.ProcessorCount}; data: 256-D Gaussian clusters (centres N(0, 0.5²), unit noise); k = {NeighbourCount}, euclidean, umap-learn defaults, parallel mode");
        // Warm-up: lets tiered JIT compile the hot loops before anything is timed.
        var (warmUp, _) = GaussianClusters.Generate(4, 500, Dimensions, centreSpread: 0.5, seed: 0);
        KnnGraphBuilder.Exact(warmUp, NeighbourCount, DistanceMetric.Euclidean);
        UmapProjector.Fit(warmUp, new UmapOptions { ExactNeighbourThreshold = 0, Epochs = 50 });
        foreach (var size in sizes)
        {
            RunSize(size);
        }
        return 0;
    }

    private static void RunSize(int n)
    {
        var clusters = Math.Max(10, n / 500);
        var (data, _) = GaussianClusters.Generate(clusters, n / clusters, Dimensions, centreSpread: 0.5, seed: n);
        n = data.Rows;
        Console.WriteLine();
        Console.WriteLine($"== {n:N0} points x {Dimensions} ({clusters} clusters)");

        var clock = Stopwatch.StartNew();
        var descent = NearestNeighbourDescent.Build(data, NeighbourCount, DistanceMetric.Euclidean, seed: 1);
        var descentSeconds = clock.Elapsed.TotalSeconds;
        if (n <= 20_000)
        {
            clock.Restart();
            var exact = KnnGraphBuilder.Exact(data, NeighbourCount, DistanceMetric.Euclidean);
            var exactSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"kNN exact (brute force, SIMD): {exactSeconds,8:F2} s  {n / exactSeconds,10:F0} points/s"));
            Console.WriteLine(Invariant($"kNN NN-descent (rp-forest):    {descentSeconds,8:F2} s  {n / descentSeconds,10:F0} points/s  recall {descent.RecallAgainst(exact):P2}  speed-up x{exactSeconds / descentSeconds:F1}"));
        }
        else
        {
            Console.WriteLine(Invariant($"kNN NN-descent (rp-forest):    {descentSeconds,8:F2} s  {n / descentSeconds,10:F0} points/s  recall {SampledRecall(data, descent):P2} (on {SampledQueries} brute-force queries)"));
        }

        clock.Restart();
        var result = UmapProjector.Fit(data, new UmapOptions { Seed = 1 });
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"UMAP total:                    {total,8:F2} s  {n / total,10:F0} points/s  ({result.Initialisation} init, {new UmapOptions().EpochsFor(n)} epochs, graph {result.Graph.NonZeroCount:N0} entries)"));
        foreach (var (stage, duration) in result.StageDurations.OrderBy(pair => pair.Key))
        {
            Console.WriteLine(Invariant($"  {stage,-20}{duration.TotalSeconds,10:F2} s  {duration.TotalSeconds / total,6:P1}"));
        }
    }

    /// <summary>Recall of the approximate graph on evenly spaced queries, each checked against brute force over all points.</summary>
    private static double SampledRecall(RowMatrix data, KnnGraph approximate)
    {
        var step = Math.Max(1, data.Rows / SampledQueries);
        var queries = Enumerable.Range(0, SampledQueries).Select(i => i * step).Where(i => i < data.Rows).ToArray();
        var hits = new int[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            var query = queries[q];
            var nearest = Enumerable.Range(0, data.Rows).Where(j => j != query)
                .Select(j => (Index: j, Distance: VectorMath.SquaredEuclidean(data.Row(query), data.Row(j))))
                .OrderBy(p => p.Distance).Take(NeighbourCount - 1).Select(p => p.Index).ToHashSet();
            foreach (var neighbour in approximate.NeighboursOf(query))
            {
                hits[q] += nearest.Contains(neighbour) ? 1 : 0;
            }
        });
        return hits.Sum() / (double)(queries.Length * (NeighbourCount - 1));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
