using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// Exact cosine top-10 among 10,000 random 256-dimensional embeddings: time per query batch (1, 64 and all
/// 10,000 queries) and the GFLOP/s of the similarity products, against a plain scalar triple loop measured in the
/// same process on the same normalised data. The machine is shared, so besides wall time it prints GFLOP per
/// CPU-second of this process, which other processes disturb much less.
/// </summary>
internal static class NeighboursBenchmark
{
    private const int Dimension = 256;
    private const int K = 10;

    public static int Run(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var random = new Random(42);
        var embeddings = new float[count * Dimension];
        for (var i = 0; i < embeddings.Length; i++)
        {
            embeddings[i] = (float)(random.NextDouble() - 0.5);
        }
        Console.WriteLine($"cores: {Environment.ProcessorCount}, load average: {LoadAverage()}, n = {count}, d = {Dimension}, k = {K}");

        var build = Stopwatch.StartNew();
        var index = new CosineNeighbourIndex(embeddings, count, Dimension);
        Console.WriteLine($"index build (normalise copy): {build.Elapsed.TotalMilliseconds:F1} ms");
        // Warm-up long enough for tiered JIT to replace the kernels' first-tier code (it waits ~100 ms, then compiles
        // in the background), with both the query-tile and the 1-query kernel.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 1.5)
        {
            index.QueryBatch(Enumerable.Range(0, 65).ToArray(), K);
        }

        Console.WriteLine("batch   repeats  best ms   median ms  GFLOP/s (best)  GFLOP per CPU-s");
        var fastest = 0.0;
        var fastestPerCpu = 0.0;
        foreach (var (batch, repeats) in new[] { (1, 50), (64, 10), (count, quick ? 3 : 3) })
        {
            var queries = Enumerable.Range(0, batch).Select(i => (int)((long)i * 7919 % count)).ToArray();
            var times = new List<double>();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                index.QueryBatch(queries, K);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            times.Sort();
            var gflops = Flops(batch, count) / times[0] / 1e9;
            fastest = Math.Max(fastest, gflops);
            fastestPerCpu = Math.Max(fastestPerCpu, Flops(batch, count) * repeats / cpuSeconds / 1e9);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batch,6}{repeats,9}{times[0] * 1e3,10:F2}{times[times.Count / 2] * 1e3,12:F2}{gflops,12:F1}{Flops(batch, count) * repeats / cpuSeconds / 1e9,17:F1}"));
        }

        // Scalar reference: one multiply-add at a time, plus the same top-k selection, on a subset of queries.
        var unit = VectorMath.NormalizedRows(new RowMatrix(embeddings, count, Dimension)).Values;
        var referenceQueries = quick ? 50 : 200;
        var referenceWatch = Stopwatch.StartNew();
        var referenceCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var reference = ScalarTopK(unit, count, referenceQueries);
        var referenceSeconds = referenceWatch.Elapsed.TotalSeconds;
        var referenceCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - referenceCpuBefore).TotalSeconds;
        var referenceGflops = Flops(referenceQueries, count) / referenceSeconds / 1e9;
        var fast = index.QueryBatch(Enumerable.Range(0, referenceQueries).ToArray(), K);
        var agreeing = Enumerable.Range(0, referenceQueries).Count(q => fast[q].Select(n => n.Index).SequenceEqual(reference[q]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scalar triple loop: {referenceQueries} queries in {referenceSeconds * 1e3:F0} ms = {referenceGflops:F2} GFLOP/s " +
            $"({Flops(referenceQueries, count) / referenceCpuSeconds / 1e9:F2} per CPU-s); " +
            $"blocked SIMD parallel best / scalar = {fastest / referenceGflops:F1}x wall, " +
            $"{fastestPerCpu / (Flops(referenceQueries, count) / referenceCpuSeconds / 1e9):F1}x per CPU-s; same top-{K} lists: {agreeing}/{referenceQueries}"));
        return 0;
    }

    private static double Flops(int queries, int count) => 2.0 * queries * count * Dimension;

    private static int[][] ScalarTopK(float[] unit, int count, int queries)
    {
        var result = new int[queries][];
        var similarities = new float[count];
        for (var q = 0; q < queries; q++)
        {
            for (var j = 0; j < count; j++)
            {
                var sum = 0f;
                for (var c = 0; c < Dimension; c++)
                {
                    sum += unit[(q * Dimension) + c] * unit[(j * Dimension) + c];
                }
                similarities[j] = sum;
            }
            result[q] = Enumerable.Range(0, count).Where(j => j != q)
                .OrderByDescending(j => similarities[j]).ThenBy(j => j).Take(K).ToArray();
        }
        return result;
    }

    private static string LoadAverage()
    {
        const string Path = "/proc/loadavg";
        return File.Exists(Path) ? string.Join(' ', File.ReadAllText(Path).Split(' ').Take(3)) : "n/a";
    }
}
