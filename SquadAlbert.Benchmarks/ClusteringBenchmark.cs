using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// Wall and CPU time of HDBSCAN and k-means at the sizes the product uses (UMAP 2-D output of up to 20k questions,
/// PCA to 50 dimensions), on seeded Gaussian blobs with known labels, with the adjusted Rand index as a sanity check.
/// </summary>
internal static class ClusteringBenchmark
{
    public static int Run(bool quick)
    {
        var n = quick ? 5_000 : 20_000;
        Console.WriteLine($"cores: {Environment.ProcessorCount}, n = {n}");
        foreach (var dimension in new[] { 2, 50 })
        {
            var (points, truth) = Blobs(n, dimension, clusters: 12, seed: dimension);
            Measure($"HDBSCAN d={dimension} min_cluster_size=50", truth, () =>
            {
                var result = Hdbscan.Fit(points, n, dimension, new HdbscanOptions { MinClusterSize = 50 });
                return (result.Labels, $"{result.ClusterCount} clusters, {result.Labels.Count(l => l < 0)} noise");
            });
            Measure($"k-means d={dimension} k=12, 4 restarts", truth, () =>
            {
                var result = KMeans.Fit(points, n, dimension, new KMeansOptions { ClusterCount = 12, Seed = 1 });
                return (result.Labels, $"{result.Iterations} iterations");
            });
        }
        return 0;
    }

    /// <summary>
    /// HDBSCAN (min_cluster_size = 50) on <paramref name="n"/> blob points (2-D by default, as on the UMAP map): the spatial
    /// spanning tree (k-d tree, Borůvka, Prim replay) against the dense Prim reference, wall and CPU time of each,
    /// the ratio, and whether trees and labels are identical.
    /// </summary>
    public static int RunSpanningTree(int n, bool reference, int dimension = 2)
    {
        Console.WriteLine($"cores: {Environment.ProcessorCount}, n = {n}, d = {dimension}, min_cluster_size = 50");
        var (points, truth) = Blobs(n, dimension, clusters: 12, seed: dimension);
        var data = new RowMatrix(points, n, dimension);
        var options = new HdbscanOptions { MinClusterSize = 50 };
        var k = options.MinSamples ?? options.MinClusterSize;
        var (spatialTree, spatialWall, spatialCpu) = Time(() => MutualReachability.SpanningTree(data, k, SpanningTreeMethod.Spatial));
        var (spatial, extractWall, extractCpu) = Time(() => HdbscanHierarchy.Extract(n, spatialTree, options));
        spatialWall += extractWall;
        spatialCpu += extractCpu;
        Print("HDBSCAN spatial (k-d tree Borůvka)", spatialWall, spatialCpu, truth, spatial);
        if (!reference)
        {
            return 0;
        }
        var (denseTree, denseWall, denseCpu) = Time(() => MutualReachability.SpanningTree(data, k, SpanningTreeMethod.Dense));
        var (dense, denseExtractWall, denseExtractCpu) = Time(() => HdbscanHierarchy.Extract(n, denseTree, options));
        denseWall += denseExtractWall;
        denseCpu += denseExtractCpu;
        Print("HDBSCAN dense Prim (reference)", denseWall, denseCpu, truth, dense);
        var sameTree = spatialTree.SequenceEqual(denseTree);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio dense/spatial: wall {denseWall / spatialWall:F1}x  CPU {denseCpu / spatialCpu:F1}x; same labels: {spatial.Labels.SequenceEqual(dense.Labels)}, same tree: {sameTree}"));
        return 0;
    }

    private static (T Result, double Wall, double Cpu) Time<T>(Func<T> run)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = run();
        return (result, watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    private static void Print(string name, double wall, double cpu, int[] truth, HdbscanResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-40} wall {wall,7:F2} s  CPU {cpu,7:F2} s  ARI {ClusteringAgreement.AdjustedRandIndex(truth, result.Labels):F3}  ({result.ClusterCount} clusters, {result.Labels.Count(l => l < 0)} noise)"));

    private static void Measure(string name, int[] truth, Func<(int[] Labels, string Summary)> run)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var (labels, summary) = run();
        var wall = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-40} wall {wall,7:F2} s  CPU {cpu,7:F2} s  ARI {ClusteringAgreement.AdjustedRandIndex(truth, labels):F3}  ({summary})"));
    }

    private static (float[] Points, int[] Labels) Blobs(int n, int dimension, int clusters, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters)
            .Select(_ => Enumerable.Range(0, dimension).Select(_ => (random.NextDouble() - 0.5) * 100).ToArray()).ToArray();
        var points = new float[n * dimension];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % clusters;
            for (var j = 0; j < dimension; j++)
            {
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                points[(i * dimension) + j] = (float)(centres[labels[i]][j] + (normal * 2));
            }
        }
        return (points, labels);
    }
}
