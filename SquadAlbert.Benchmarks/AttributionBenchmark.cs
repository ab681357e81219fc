using System.Diagnostics;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// Attributions per second of the small random ALBERT (hidden 256, 6 repetitions) on full 256-token windows:
/// integrated gradients with 32 steps (Gauss–Legendre: 32 nodes + 2 path ends = 34 gradient evaluations) at a few
/// batch sizes, and gradient × input (one evaluation) for scale; with the completeness error of each IG run.
/// </summary>
internal static class AttributionBenchmark
{
    private const int SequenceLength = 256;
    private const int Steps = 32;

    public static int Run(bool quick)
    {
        Console.WriteLine($"cores: {Environment.ProcessorCount}, ONNX Runtime intra-op threads = cores; model {OnnxBenchmark.Small}");
        var checkpoint = QaCheckpoint.Random(OnnxBenchmark.Small, seed: 1, scale: 0.02f);
        var windows = Enumerable.Range(0, quick ? 1 : 2)
            .Select(i => OnnxBenchmark.Window(i, SequenceLength, OnnxBenchmark.Small.VocabSize) with { GoldStart = 100 + i, GoldEnd = 103 + i })
            .ToList();
        using var attributor = new QaAttributor(checkpoint, id => id.ToString(System.Globalization.CultureInfo.InvariantCulture), padId: 0);
        var cases = new List<(string Name, AttributionOptions Options)>
        {
            ("ig loss, batch 34", new AttributionOptions(Steps: Steps, BatchSize: 34)),
            ("gxi loss", new AttributionOptions(AttributionMethod.GradientTimesInput)),
        };
        if (!quick)
        {
            cases.Insert(1, ("ig loss, batch 8", new AttributionOptions(Steps: Steps, BatchSize: 8)));
            cases.Insert(2, ("ig loss, batch 4", new AttributionOptions(Steps: Steps, BatchSize: 4)));
            cases.Insert(3, ("ig start logit, batch 8", new AttributionOptions(Target: AttributionTarget.StartLogit, Steps: Steps, BatchSize: 8)));
        }
        Console.WriteLine($"seq {SequenceLength}, {Steps} steps; best of {windows.Count} windows after a warm-up");
        Console.WriteLine("case                        attributions/s  s/attribution  gradient evals/s  worst completeness rel. error");
        foreach (var (name, options) in cases)
        {
            attributor.Attribute(windows[0], options); // warm-up: session creation, allocations, kernel selection
            var best = double.MaxValue;
            var worstError = 0.0;
            foreach (var window in windows)
            {
                var clock = Stopwatch.StartNew();
                var result = attributor.Attribute(window, options);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                worstError = Math.Max(worstError, result.Completeness?.RelativeError ?? 0);
            }
            var evaluations = options.Method == AttributionMethod.IntegratedGradients ? Steps + 2 : 1;
            var error = options.Method == AttributionMethod.IntegratedGradients ? worstError.ToString("E2", System.Globalization.CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"{name,-28}{1 / best,14:F3}{best,15:F2}{evaluations / best,18:F1}  {error}");
        }
        return 0;
    }
}
