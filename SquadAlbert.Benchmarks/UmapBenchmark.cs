using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Vectors;
using SquadAlbert.Testing;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// UMAP against umap-js (npm), side by side in one command on the same unit-normalised vectors: a run's context
/// embeddings (<c>--db FILE [--run ID]</c>, the dev run of issue 16) and synthetic 256-D Gaussian clusters of the
/// given sizes (known structure: separated blobs). Both use cosine-equivalent neighbours (ours cosine; umap-js its
/// default Euclidean, which ranks unit vectors exactly as cosine does), k = 15, min_dist 0.1 and umap-learn's epoch
/// count for the size. Ours runs twice: parallel (all cores: kNN and Hogwild SGD) and deterministic (one thread);
/// umap-js is single-threaded. Prints wall time per stage for ours, umap-js's own split (initializeFit, epochs),
/// the ratios, the kNN recall on sampled brute-force queries, and the trustworthiness of all three (k = 10, cosine
/// input, the same seeded sample of points). Load average is printed before and after each set: the machine is
/// shared, so only ratios measured in the same command mean anything.
/// </summary>
internal static class UmapBenchmark
{
    private const int SyntheticDimensions = 256;
    private const int NeighbourCount = 15;
    private const int RecallQueries = 1000;
    private const int TrustworthinessPoints = 3000;
    private const int TrustworthinessNeighbours = 10;
    private const int Seed = 42;
    private const string UmapJsVersion = "1.4.0";

    public sealed record Settings(IReadOnlyList<int> Sizes, string? Database, long Run, bool Reference, string UmapJsDirectory);

    public static int Run(string[] args)
    {
        var settings = Parse(args);
        Console.WriteLine($"cores: {Environment.ProcessorCount}; k = {NeighbourCount}, min_dist 0.1, cosine on unit-normalised rows; " +
                          $"trustworthiness k = {TrustworthinessNeighbours} on {TrustworthinessPoints:N0} seeded points");
        var umapJs = settings.Reference ? EnsureUmapJs(settings.UmapJsDirectory) : null;
        // Warm-up: lets tiered JIT compile the hot loops of both modes before anything is timed.
        var (warmUp, _) = GaussianClusters.Generate(4, 1500, 32, centreSpread: 0.5, seed: 0);
        UmapProjector.Fit(warmUp, new UmapOptions { Metric = DistanceMetric.Cosine, ExactNeighbourThreshold = 0, Epochs = 30 });
        UmapProjector.Fit(warmUp, new UmapOptions { Metric = DistanceMetric.Cosine, ExactNeighbourThreshold = 0, Epochs = 30, Deterministic = true });

        if (settings.Database is { } database)
        {
            var (_, values, dimension) = new RunStore(new SqliteConnectionFactory(database)).Embeddings(settings.Run, EmbeddingKinds.ContextMean);
            if (dimension == 0)
            {
                throw new ArgumentException($"{database}: run {settings.Run} has no {EmbeddingKinds.ContextMean} embeddings.");
            }
            RunSet($"run {settings.Run} of {Path.GetFileName(database)}: {EmbeddingKinds.ContextMean} embeddings",
                new RowMatrix(values, values.Length / dimension, dimension), umapJs);
        }
        foreach (var size in settings.Sizes)
        {
            var clusters = Math.Max(10, size / 500);
            var (data, _) = GaussianClusters.Generate(clusters, size / clusters, SyntheticDimensions, centreSpread: 0.5, seed: size);
            RunSet($"synthetic: {clusters} Gaussian clusters in {SyntheticDimensions}-D (centres N(0, 0.5²), unit noise)", data, umapJs);
        }
        return 0;
    }

    private static Settings Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var database = Value("--db");
        int[] sizes = Value("--sizes") is { } list
            ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Where(s => s > 0)]
            : args.Contains("--quick") ? [10_000] : database is null ? [10_000, 50_000] : [50_000];
        var run = Value("--run") is { } id ? long.Parse(id, CultureInfo.InvariantCulture) : 1;
        var directory = Value("--umap-js") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "squad-albert", "umap-js");
        return new Settings(sizes, database, run, !args.Contains("--no-reference"), directory);
    }

    private static void RunSet(string description, RowMatrix raw, string? umapJs)
    {
        var data = VectorMath.NormalizedRows(raw);
        var n = data.Rows;
        var epochs = new UmapOptions().EpochsFor(n);
        Console.WriteLine();
        Console.WriteLine($"== {n:N0} points x {data.Columns}: {description}; {epochs} epochs");
        Console.WriteLine($"load before: {LoadAverage()}");
        var sample = SampledPoints(n, TrustworthinessPoints, Seed);
        var input = Rows(data, sample);

        var options = new UmapOptions { Metric = DistanceMetric.Cosine, Seed = Seed };
        var parallel = Ours(data, options);
        var single = Ours(data, options with { Deterministic = true });
        Console.WriteLine(Invariant($"kNN recall of the graph UMAP used (vs brute force on {RecallQueries:N0} queries): {SampledRecall(data, parallel.Result.Neighbours):P2}"));
        if (n <= 20_000)
        {
            // The alternative for mid sizes: the exact graph from the blocked SIMD brute force, single-threaded.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            KnnGraphBuilder.Exact(data, NeighbourCount, DistanceMetric.Cosine, parallel: false);
            Console.WriteLine(Invariant($"kNN exact brute force (1 thread): {clock.Elapsed.TotalSeconds:F2} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s"));
        }
        var rows = new List<(string Name, double Seconds, RowMatrix Embedding)>
        {
            ($"ours, parallel ({Environment.ProcessorCount} threads)", parallel.Seconds, parallel.Result.Embedding),
            ("ours, deterministic (1 thread)", single.Seconds, single.Result.Embedding),
        };
        foreach (var (name, run) in new[] { ("parallel", parallel), ("deterministic", single) })
        {
            Console.WriteLine(Invariant($"ours {name,-14} total {run.Seconds,8:F2} s  (CPU {run.CpuSeconds:F2} s; {run.Result.Initialisation} init, graph {run.Result.Graph.NonZeroCount:N0} entries)"));
            foreach (var (stage, duration) in run.Result.StageDurations.OrderBy(pair => pair.Key))
            {
                Console.WriteLine(Invariant($"    {stage,-20}{duration.TotalSeconds,8:F2} s  {duration.TotalSeconds / run.Seconds,6:P1}   CPU {run.StageCpuSeconds.GetValueOrDefault(stage),6:F2} s"));
            }
        }
        if (umapJs is not null)
        {
            var reference = RunUmapJs(umapJs, data, epochs, Seed);
            Console.WriteLine(Invariant($"umap-js {reference.Version} (1 thread)  total {reference.Seconds,8:F2} s  (initializeFit {reference.FitSeconds:F2} s: kNN, fuzzy set, random init; epochs {reference.LayoutSeconds:F2} s)"));
            rows.Add(($"umap-js {reference.Version} (1 thread)", reference.Seconds, reference.Embedding));
            Console.WriteLine(Invariant($"ratio umap-js / ours: parallel x{reference.Seconds / parallel.Seconds:F2}, deterministic x{reference.Seconds / single.Seconds:F2}"));
        }
        foreach (var (name, seconds, embedding) in rows)
        {
            var trust = Trustworthiness.Compute(input, Rows(embedding, sample), TrustworthinessNeighbours, DistanceMetric.Cosine);
            Console.WriteLine(Invariant($"  {name,-34} {seconds,8:F2} s  trustworthiness {trust:F4}"));
        }
        Console.WriteLine($"load after: {LoadAverage()}");
    }

    private sealed record OursRun(UmapResult Result, double Seconds, double CpuSeconds, IReadOnlyDictionary<UmapStage, double> StageCpuSeconds);

    private static OursRun Ours(RowMatrix data, UmapOptions options)
    {
        var stages = new StageCpuClock();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = UmapProjector.Fit(data, options, stages);
        return new OursRun(result, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, stages.Seconds);
    }

    /// <summary>
    /// Process CPU seconds per stage, taken at each stage change the fit reports (synchronously, on its thread). On a
    /// shared machine wall time measures the neighbours as much as the code; CPU time measures the code.
    /// </summary>
    private sealed class StageCpuClock : IProgress<UmapProgress>
    {
        private UmapStage? _current;
        private TimeSpan _since;

        public Dictionary<UmapStage, double> Seconds { get; } = [];

        public void Report(UmapProgress value)
        {
            if (value.Stage == _current)
            {
                return;
            }
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            if (_current is { } stage)
            {
                Seconds[stage] = (now - _since).TotalSeconds;
            }
            (_current, _since) = (value.Stage, now);
        }
    }

    private sealed record ReferenceRun(string Version, double Seconds, double FitSeconds, double LayoutSeconds, RowMatrix Embedding);

    private static ReferenceRun RunUmapJs(string umapJsDirectory, RowMatrix data, int epochs, int seed)
    {
        var folder = Directory.CreateTempSubdirectory("umap-js-bench-");
        try
        {
            var input = Path.Combine(folder.FullName, "input.bin");
            var output = Path.Combine(folder.FullName, "output.bin");
            using (var writer = new BinaryWriter(File.Create(input)))
            {
                writer.Write(data.Rows);
                writer.Write(data.Columns);
                foreach (var value in data.Values)
                {
                    writer.Write(value);
                }
            }
            var script = Path.Combine(AppContext.BaseDirectory, "UmapReference", "umap-js-run.cjs");
            var (exitCode, stdout, stderr) = Execute("node", [script, umapJsDirectory, input, output, epochs.ToString(CultureInfo.InvariantCulture),
                NeighbourCount.ToString(CultureInfo.InvariantCulture), "0.1", seed.ToString(CultureInfo.InvariantCulture)]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"umap-js failed (exit {exitCode}): {stderr}");
            }
            using var report = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            var root = report.RootElement;
            var bytes = File.ReadAllBytes(output);
            var embedding = new float[data.Rows * 2];
            Buffer.BlockCopy(bytes, 0, embedding, 0, embedding.Length * sizeof(float));
            return new ReferenceRun(root.GetProperty("version").GetString()!, root.GetProperty("total").GetDouble(),
                root.GetProperty("initializeFit").GetDouble(), root.GetProperty("layout").GetDouble(), new RowMatrix(embedding, data.Rows, 2));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The folder holding node_modules/umap-js, installed there from npm on first use.</summary>
    private static string EnsureUmapJs(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "node_modules", "umap-js", "package.json")))
        {
            Directory.CreateDirectory(directory);
            Console.WriteLine($"installing umap-js@{UmapJsVersion} into {directory} (npm)");
            var (exitCode, _, stderr) = Execute("npm", ["install", "--prefix", directory, "--no-audit", "--no-fund", $"umap-js@{UmapJsVersion}"]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm install umap-js@{UmapJsVersion} failed (exit {exitCode}); pass --no-reference to skip it: {stderr}");
            }
        }
        return directory;
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>A seeded sample of distinct point indices, ascending (all points when there are fewer).</summary>
    private static int[] SampledPoints(int count, int size, int seed)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (var i = 0; i < Math.Min(size, count); i++)
        {
            var j = random.Next(i, count);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return [.. indices.Take(size).Order()];
    }

    private static RowMatrix Rows(RowMatrix matrix, int[] rows)
    {
        var values = new float[rows.Length * matrix.Columns];
        for (var i = 0; i < rows.Length; i++)
        {
            matrix.Row(rows[i]).CopyTo(values.AsSpan(i * matrix.Columns, matrix.Columns));
        }
        return new RowMatrix(values, rows.Length, matrix.Columns);
    }

    /// <summary>Recall of the neighbour graph on evenly spaced queries, each checked by brute force over all (unit) rows.</summary>
    private static double SampledRecall(RowMatrix data, KnnGraph approximate)
    {
        var step = Math.Max(1, data.Rows / RecallQueries);
        var queries = Enumerable.Range(0, RecallQueries).Select(i => i * step).Where(i => i < data.Rows).ToArray();
        var hits = new int[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            var query = queries[q];
            var nearest = Enumerable.Range(0, data.Rows).Where(j => j != query)
                .Select(j => (Index: j, Distance: VectorMath.SquaredEuclidean(data.Row(query), data.Row(j))))
                .OrderBy(p => p.Distance).Take(approximate.NeighbourCount - 1).Select(p => p.Index).ToHashSet();
            foreach (var neighbour in approximate.NeighboursOf(query))
            {
                hits[q] += nearest.Contains(neighbour) ? 1 : 0;
            }
        });
        return hits.Sum() / (double)(queries.Length * (approximate.NeighbourCount - 1));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
