using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// The int8 forward graph against the fp32 one of the same checkpoint, in one process: windows per second of each
/// (wall clock and process CPU time; the best of several interleaved rounds, so a busy neighbour slows every graph
/// alike), the ratio to fp32, and how far each int8 graph's logits are from fp32's on the same windows (max and mean
/// |Δ logit|, share of windows whose best start and end token are unchanged) and, with real questions, each graph's
/// official EM and F1 on them and the share of answers equal to fp32's. Every <see cref="Int8Scheme"/> is measured
/// unless <c>--schemes default</c>; the windows are those of the first questions of a SQuAD file (at least N windows),
/// featurized as <c>analyze</c> does for the model, or synthetic full-length windows without data. <c>--rounds 0</c>
/// times the first pass only: a quality check on many windows at the cost of one pass per graph.
/// </summary>
internal static class Int8Benchmark
{
    private sealed record Variant(string Name, QaModelSession Session);

    private sealed record Timing(double WallSeconds, double CpuSeconds);

    public static int Run(string[] args)
    {
        var modelFolder = DefaultModelLocator.Resolve(Option(args, "--model")).Path;
        var windowCount = IntOption(args, "--windows", 64);
        var batchSize = IntOption(args, "--batch-size", 32);
        var rounds = IntOption(args, "--rounds", 2);
        var threads = Option(args, "--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : (int?)null;
        Int8Scheme[] schemes = Option(args, "--schemes") == "default" ? [Int8Schemes.Default] : Enum.GetValues<Int8Scheme>();

        Console.WriteLine($"model {modelFolder}");
        Console.WriteLine($"cores: {Environment.ProcessorCount}, ONNX Runtime intra-op threads = {threads?.ToString(CultureInfo.InvariantCulture) ?? "cores"}, " +
            $"CPU flags: {CpuFlags()}, load average at start: {LoadAverage()}");
        var checkpoint = QaCheckpoint.Load(modelFolder);
        var (examples, windows) = Sample(modelFolder, checkpoint.Config, Option(args, "--data"), windowCount);
        Console.WriteLine($"{windows.Count} windows of {examples.Count} questions, {windows.Sum(w => w.Length):N0} tokens (mean {windows.Average(w => w.Length):F0}), " +
            $"batch {batchSize}, best of a warm-up and {rounds} interleaved rounds; default int8 scheme: {Int8Schemes.Default}");

        var variants = new List<Variant> { new("fp32", QaModelSession.FromCheckpoint(checkpoint, threads)) };
        foreach (var scheme in schemes)
        {
            variants.Add(new Variant("int8 " + scheme, QaModelSession.FromCheckpoint(checkpoint, threads, precision: InferencePrecision.Int8, int8Scheme: scheme)));
        }
        try
        {
            var options = new QaRunOptions(BatchSize: batchSize);
            var outputs = new Dictionary<string, IReadOnlyList<QaWindowOutput>>(StringComparer.Ordinal);
            var best = new Dictionary<string, Timing>(StringComparer.Ordinal);
            foreach (var variant in variants)
            {
                // Warm-up (allocations, weight packing, kernel selection): timed too, so --rounds 0 still gives a
                // (pessimistic) figure; its outputs are the ones compared below.
                best[variant.Name] = Time(() => outputs[variant.Name] = variant.Session.Run(windows, options));
            }
            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in variants)
                {
                    var timing = Time(() => variant.Session.Run(windows, options));
                    var previous = best[variant.Name];
                    best[variant.Name] = new Timing(Math.Min(previous.WallSeconds, timing.WallSeconds), Math.Min(previous.CpuSeconds, timing.CpuSeconds));
                }
            }

            var reference = best["fp32"];
            Console.WriteLine("graph                       windows/s  ratio  CPU-ms/window  CPU ratio  max|Δlogit|  mean|Δlogit|  same best start & end" +
                (examples.Count > 0 ? "     EM     F1  same answer" : ""));
            var referenceAnswers = Answers(examples, outputs["fp32"]);
            foreach (var variant in variants)
            {
                var timing = best[variant.Name];
                var (maxDelta, meanDelta, same) = Compare(outputs["fp32"], outputs[variant.Name]);
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{variant.Name,-26}{windows.Count / timing.WallSeconds,11:F2}{reference.WallSeconds / timing.WallSeconds,7:F2}" +
                    $"{timing.CpuSeconds * 1000 / windows.Count,15:F1}{reference.CpuSeconds / timing.CpuSeconds,11:F2}" +
                    $"{maxDelta,13:F4}{meanDelta,14:F4}{same,23:P1}");
                if (examples.Count > 0)
                {
                    var answers = Answers(examples, outputs[variant.Name]);
                    var score = Analysis.Metrics.OfficialSquadMetric.Evaluate(examples, answers);
                    var sameAnswer = (double)examples.Count(e => answers[e.Id] == referenceAnswers[e.Id]) / examples.Count;
                    line += string.Create(CultureInfo.InvariantCulture, $"{score.ExactMatch,7:F2}{score.F1,7:F2}{sameAnswer,13:P1}");
                }
                Console.WriteLine(line);
            }
            Console.WriteLine($"load average at end: {LoadAverage()}");
        }
        finally
        {
            foreach (var variant in variants)
            {
                variant.Session.Dispose();
            }
        }
        return 0;
    }

    /// <summary>
    /// The windows of the first questions of the SQuAD file (default: dev-v1.1.json in the data folder), featurized with
    /// the model's window sizes, whole questions only, until there are at least <paramref name="count"/>; with their
    /// questions, for EM and F1. Synthetic full-length windows (and no questions) when there is no file.
    /// </summary>
    private static (List<SquadExample> Examples, List<QaWindow> Windows) Sample(string modelFolder, EncoderConfig config, string? dataFile, int count)
    {
        var options = ModelWindowDefaults.For(modelFolder);
        dataFile ??= Path.Combine(SquadDataLocator.Resolve(null).Path, SquadFiles.DevV11);
        if (!File.Exists(dataFile))
        {
            Console.WriteLine($"no SQuAD file at {dataFile}: synthetic windows of {options.MaxSeqLength} tokens, no EM/F1");
            return ([], [.. Enumerable.Range(0, count).Select(i => OnnxBenchmark.Window(i, options.MaxSeqLength, config.VocabSize))]);
        }
        Console.WriteLine($"windows of {dataFile} (max {options.MaxSeqLength} tokens, stride {options.DocStride})");
        var featurizer = new QaFeaturizer(ModelTokenizer.Load(modelFolder), options);
        var examples = SquadLoader.Load(dataFile).Examples;
        var windows = new List<QaWindow>();
        foreach (var window in featurizer.Featurize(examples))
        {
            if (windows.Count >= count && window.ExampleIndex != windows[^1].ExampleIndex)
            {
                break;
            }
            windows.Add(window);
        }
        return ([.. examples.Take(windows[^1].ExampleIndex + 1)], windows);
    }

    private static Dictionary<string, string> Answers(IReadOnlyList<SquadExample> examples, IReadOnlyList<QaWindowOutput> outputs) =>
        QaPostProcessor.Predict(examples, outputs).ToDictionary(p => p.ExampleId, p => p.Text, StringComparer.Ordinal);

    /// <summary>Max and mean |Δ| over every start and end logit, and the share of windows whose argmax start and end agree.</summary>
    private static (double Max, double Mean, double SameBest) Compare(IReadOnlyList<QaWindowOutput> reference, IReadOnlyList<QaWindowOutput> other)
    {
        var max = 0.0;
        var sum = 0.0;
        var count = 0L;
        var same = 0;
        for (var w = 0; w < reference.Count; w++)
        {
            foreach (var (a, b) in new[] { (reference[w].StartLogits, other[w].StartLogits), (reference[w].EndLogits, other[w].EndLogits) })
            {
                for (var t = 0; t < a.Length; t++)
                {
                    var delta = Math.Abs(a[t] - b[t]);
                    max = Math.Max(max, delta);
                    sum += delta;
                    count++;
                }
            }
            if (ArgMax(reference[w].StartLogits) == ArgMax(other[w].StartLogits) && ArgMax(reference[w].EndLogits) == ArgMax(other[w].EndLogits))
            {
                same++;
            }
        }
        return (max, sum / count, (double)same / reference.Count);
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static Timing Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Timing(wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>The x86 features that decide which integer kernels ONNX Runtime picks.</summary>
    private static string CpuFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return "unknown";
        }
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        string[] interesting = ["avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"];
        var present = interesting.Where(flags.Contains).ToList();
        return present.Count == 0 ? "none of avx2/avx512/vnni" : string.Join(" ", present);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
