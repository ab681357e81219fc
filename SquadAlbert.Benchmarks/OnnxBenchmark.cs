using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// Sequences per second of the ALBERT ONNX graph on random weights, and the matrix-product FLOP/s that implies,
/// relative to the best fp32 MatMul throughput ONNX Runtime reaches on this machine in the same run.
/// </summary>
internal static class OnnxBenchmark
{
    internal static readonly EncoderConfig Small = new(
        VocabSize: 30000, EmbeddingSize: 128, HiddenSize: 256, NumHiddenLayers: 6, NumHiddenGroups: 1, InnerGroupNum: 1,
        NumAttentionHeads: 4, IntermediateSize: 1024, HiddenAct: EncoderActivation.GeluTanh, MaxPositionEmbeddings: 512,
        TypeVocabSize: 2, LayerNormEps: 1e-12);

    private static readonly EncoderConfig Base = Small with
    {
        HiddenSize = 768, NumHiddenLayers = 12, NumAttentionHeads = 12, IntermediateSize = 3072,
    };

    private sealed record Row(string Model, int SequenceLength, int Batch, double SequencesPerSecond, double Flops);

    public static int Run(bool quick)
    {
        Console.WriteLine($"cores: {Environment.ProcessorCount}, ONNX Runtime intra-op threads = cores, ORT_ENABLE_ALL");
        // Other processes may share the cores: the peak is measured between the model runs too, and the best
        // figure (the least disturbed) is the physical limit the utilisation refers to.
        var size = quick ? 1024 : 2048;
        var peaks = new List<double> { MeasureMatMulPeak(size, repeats: quick ? 3 : 6) };
        var rows = new List<Row>();
        rows.AddRange(Measure("small (h256, 6 rep)", Small, 256, [(1, quick ? 3 : 10), (32, quick ? 1 : 3)]));
        peaks.Add(MeasureMatMulPeak(size, repeats: quick ? 3 : 6));
        rows.AddRange(Measure("base (h768, 12 rep)", Base, 384, [(1, quick ? 1 : 5), (32, quick ? 1 : 2)]));
        peaks.Add(MeasureMatMulPeak(size, repeats: quick ? 3 : 6));
        var peak = peaks.Max();
        Console.WriteLine("ops of the small model after ORT optimisation: " + OptimizedOpCounts(Small));
        Console.WriteLine($"fp32 MatMul (ORT, square {size}) GFLOP/s at start/middle/end: " +
            string.Join(" / ", peaks.Select(p => (p / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))) +
            $"; peak = {peak / 1e9:F1}");
        Console.WriteLine("model              seq  batch  seq/s     GFLOP/s  utilisation");
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Model,-19}{row.SequenceLength,4}{row.Batch,7}{row.SequencesPerSecond,8:F2}{row.Flops / 1e9,11:F1}{row.Flops / peak,12:P1}");
        }
        return 0;
    }

    private static IEnumerable<Row> Measure(string name, EncoderConfig config, int sequenceLength, (int Batch, int Iterations)[] runs)
    {
        var checkpoint = QaCheckpoint.Random(config, seed: 1, scale: 0.02f);
        using var session = QaModelSession.FromCheckpoint(checkpoint);
        var flopsPerSequence = EncoderFlops.ForwardPerSequence(config, sequenceLength);
        foreach (var (batch, iterations) in runs)
        {
            var windows = Enumerable.Range(0, batch).Select(i => Window(i, sequenceLength, config.VocabSize)).ToList();
            var options = new QaRunOptions(BatchSize: batch);
            session.Run(windows, options); // warm-up: allocations and kernel selection for this shape
            var best = double.MaxValue;
            for (var i = 0; i < iterations; i++)
            {
                var clock = Stopwatch.StartNew();
                session.Run(windows, options);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            var sequencesPerSecond = batch / best;
            yield return new Row(name, sequenceLength, batch, sequencesPerSecond, sequencesPerSecond * flopsPerSequence);
        }
    }

    /// <summary>Op types (with domain when not the default one) of the graph ORT actually runs, most frequent first:
    /// shows which fusions (LayerNormalization, Gelu, FusedMatMul...) applied.</summary>
    private static string OptimizedOpCounts(EncoderConfig config)
    {
        var path = Path.Combine(Path.GetTempPath(), $"albert-optimized-{Environment.ProcessId}.onnx");
        using (var options = QaModelSession.CreateSessionOptions())
        {
            options.OptimizedModelFilePath = path;
            using var session = new InferenceSession(QaGraphBuilder.BuildInference(QaCheckpoint.Random(config, seed: 1)), options);
        }
        var model = SquadAlbert.Analysis.Model.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        File.Delete(path);
        return string.Join(", ", model.Graph.Node
            .GroupBy(n => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}:{n.OpType}")
            .OrderByDescending(group => group.Count())
            .Select(group => $"{group.Key} {group.Count()}"));
    }

    /// <summary>Best-of-N throughput of one square fp32 MatMul through ONNX Runtime.</summary>
    private static double MeasureMatMulPeak(int n, int repeats)
    {
        var g = new OnnxGraphWriter("matmul", OnnxElementType.SinglePrecision);
        var a = g.Input("a", false, n, n);
        var b = g.Input("b", false, n, n);
        g.Output(g.MatMul(a, b), "c", n, n);
        using var session = new InferenceSession(g.ToBytes(), QaModelSession.CreateSessionOptions());
        var random = new Random(1);
        var data = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
        using var left = OrtValue.CreateTensorValueFromMemory(data, [n, n]);
        using var right = OrtValue.CreateTensorValueFromMemory(data.ToArray(), [n, n]);
        var inputs = new Dictionary<string, OrtValue> { ["a"] = left, ["b"] = right };
        using var runOptions = new RunOptions();
        var best = double.MaxValue;
        for (var i = 0; i <= repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var outputs = session.Run(runOptions, inputs, ["c"]);
            if (i > 0)
            {
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
        }
        return 2.0 * n * n * n / best;
    }

    /// <summary>A full-length window: [CLS], 20 question tokens, [SEP], context, [SEP].</summary>
    internal static QaWindow Window(int index, int length, int vocabulary)
    {
        var random = new Random(index);
        const int question = 20;
        var ids = Enumerable.Range(0, length).Select(_ => random.Next(5, vocabulary)).ToArray();
        var types = Enumerable.Range(0, length).Select(t => t > question + 1 ? 1 : 0).ToArray();
        var sources = Enumerable.Range(0, length).Select(t =>
            t == 0 || t == question + 1 || t == length - 1 ? TokenSource.Special
            : t <= question ? TokenSource.Question : TokenSource.Context).ToArray();
        var spans = Enumerable.Range(0, length).Select(t => sources[t] == TokenSource.Special ? CharSpan.Empty : new CharSpan(t, t + 1)).ToArray();
        return new QaWindow(index, $"bench{index}", 0, ids, types, sources, spans, 0, 0);
    }
}
