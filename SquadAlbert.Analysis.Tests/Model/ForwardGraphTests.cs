using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Model.Reference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class ForwardGraphTests
{
    private static readonly int[] ContextLengths = [12, 3, 25, 7, 18];

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Onnx_graph_from_safetensors_matches_the_double_precision_reference(string configName)
    {
        var directory = TinyEncoders.TempDirectory();
        QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 7).Save(directory);
        var checkpoint = QaCheckpoint.Load(directory);
        var windows = new[] { TinyEncoders.Window(0, 0, 4, 9, seed: 1), TinyEncoders.Window(1, 0, 3, 14, seed: 2) };

        using var session = QaModelSession.FromModelDirectory(directory, threads: 1);
        var outputs = session.Run(windows, new QaRunOptions(BatchSize: 2, IncludeEmbeddings: true));

        for (var w = 0; w < windows.Length; w++)
        {
            var reference = EncoderReference.Forward(checkpoint, windows[w].InputIds, windows[w].TokenTypeIds);
            for (var t = 0; t < windows[w].Length; t++)
            {
                Assert.Equal(reference.StartLogits[t], outputs[w].StartLogits[t], 1e-4);
                Assert.Equal(reference.EndLogits[t], outputs[w].EndLogits[t], 1e-4);
            }
            var hidden = reference.LastHiddenState;
            for (var k = 0; k < checkpoint.Config.HiddenSize; k++)
            {
                Assert.Equal(hidden[0][k], outputs[w].ClsEmbedding![k], 1e-4);
                // Context tokens: token type 1 except the closing [SEP].
                var contextTokens = Enumerable.Range(0, windows[w].Length)
                    .Where(t => windows[w].Sources[t] == TokenSource.Context).ToList();
                var mean = contextTokens.Average(t => hidden[t][k]);
                Assert.Equal(mean, outputs[w].ContextMeanEmbedding![k], 1e-4);
            }
        }
    }

    /// <summary>The float64 inference graph against the reference: the float32 check above (1e-4) cannot see a small
    /// slip such as a wrong LayerNorm epsilon, a GELU form or a sum rounded to float32 (it found one in the reference's
    /// embedding sum); at double precision the two must agree almost exactly. ONNX Runtime's extended optimisations are
    /// off: they fold the 1/sqrt(head size) scale into a FusedMatMul whose alpha attribute is float32 (≈1e-9 here),
    /// which is the runtime's rounding, not the graph's.</summary>
    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Double_precision_onnx_graph_matches_the_reference_almost_exactly(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 9);
        var window = TinyEncoders.Window(0, 0, 3, 11, seed: 4);
        using var sessionOptions = QaModelSession.CreateSessionOptions(1);
        sessionOptions.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC;
        using var session = new InferenceSession(QaGraphBuilder.BuildInference(checkpoint, OnnxElementType.DoublePrecision), sessionOptions);
        long[] shape = [1, window.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(window.InputIds.Select(i => (long)i).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, window.Length).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(window.TokenTypeIds.Select(i => (long)i).ToArray(), shape);
        using var options = new RunOptions();

        using var outputs = session.Run(options, new Dictionary<string, OrtValue>
        {
            [QaGraphNames.InputIds] = ids,
            [QaGraphNames.AttentionMask] = mask,
            [QaGraphNames.TokenTypeIds] = types,
        }, [QaGraphNames.StartLogits, QaGraphNames.EndLogits]);

        var reference = EncoderReference.Forward(checkpoint, window.InputIds, window.TokenTypeIds);
        var start = outputs[0].GetTensorDataAsSpan<double>().ToArray();
        var end = outputs[1].GetTensorDataAsSpan<double>().ToArray();
        for (var t = 0; t < window.Length; t++)
        {
            Assert.Equal(reference.StartLogits[t], start[t], 1e-11);
            Assert.Equal(reference.EndLogits[t], end[t], 1e-11);
        }
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void A_window_alone_and_in_a_padded_batch_gets_the_same_logits(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 3);
        var shortWindow = TinyEncoders.Window(0, 0, 2, 5, seed: 11);
        var longWindows = Enumerable.Range(1, 3).Select(i => TinyEncoders.Window(i, 0, 4, 20 + i, seed: 20 + i)).ToList();
        using var session = QaModelSession.FromCheckpoint(checkpoint, threads: 1);

        var alone = session.Run([shortWindow])[0];
        var batched = session.Run([.. longWindows, shortWindow], new QaRunOptions(BatchSize: 4, IncludeEmbeddings: true))[3];

        Assert.Equal(shortWindow.Length, batched.StartLogits.Length);
        for (var t = 0; t < shortWindow.Length; t++)
        {
            Assert.Equal(alone.StartLogits[t], batched.StartLogits[t], 1e-5);
            Assert.Equal(alone.EndLogits[t], batched.EndLogits[t], 1e-5);
        }
    }

    [Fact]
    public void Outputs_come_back_in_input_order_and_progress_reaches_the_total()
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.SharedOneGroup, seed: 3);
        var windows = ContextLengths.Select((n, i) => TinyEncoders.Window(i, 0, 2, n, seed: i)).ToList();
        using var session = QaModelSession.FromCheckpoint(checkpoint, threads: 1);
        var reports = new List<QaRunProgress>();

        var outputs = session.Run(windows, new QaRunOptions(BatchSize: 2), new SynchronousProgress<QaRunProgress>(reports.Add));

        Assert.Equal(windows, outputs.Select(o => o.Window));
        Assert.All(outputs, o => Assert.Equal(o.Window.Length, o.StartLogits.Length));
        Assert.Equal(new QaRunProgress(5, 5), reports[^1]);
        Assert.Equal(3, reports.Count);
    }

    [Fact]
    public void A_cancelled_token_stops_the_run()
    {
        using var session = QaModelSession.FromCheckpoint(QaCheckpoint.Random(TinyEncoders.SharedOneGroup, seed: 3), threads: 1);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            session.Run([TinyEncoders.Window(0, 0, 2, 5, seed: 1)], cancellationToken: cancellation.Token));
    }

    [Fact]
    public void A_saved_graph_loads_as_a_user_export_and_gives_the_same_logits()
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.TwoGroupsTwoInner, seed: 5);
        var path = Path.Combine(TinyEncoders.TempDirectory(), "user.onnx");
        File.WriteAllBytes(path, QaGraphBuilder.BuildInference(checkpoint));
        var windows = new[] { TinyEncoders.Window(0, 0, 3, 8, seed: 4) };
        using var built = QaModelSession.FromCheckpoint(checkpoint, threads: 1);
        using var user = QaModelSession.FromOnnxFile(path, threads: 1);

        var expected = built.Run(windows)[0];
        var actual = user.Run(windows, new QaRunOptions(IncludeEmbeddings: true))[0];

        Assert.Equal(expected.StartLogits, actual.StartLogits);
        Assert.Equal(expected.EndLogits, actual.EndLogits);
        Assert.True(user.HasEmbeddings);
    }

    [Fact]
    public void A_user_export_without_logit_outputs_is_rejected_naming_the_file_and_output()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "not-qa.onnx");
        File.WriteAllBytes(path, IdentityModel());

        var error = Assert.Throws<InputException>(() => QaModelSession.FromOnnxFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("start_logits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_rejected_naming_the_file()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "garbage.onnx");
        File.WriteAllText(path, "this is not a protobuf model");

        var error = Assert.Throws<InputException>(() => QaModelSession.FromOnnxFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A model with the right inputs but only an <c>ids_copy</c> output.</summary>
    private static byte[] IdentityModel()
    {
        var g = new OnnxGraphWriter("identity", OnnxElementType.SinglePrecision);
        var ids = g.Input(QaGraphNames.InputIds, true, "batch", "sequence");
        g.Input(QaGraphNames.AttentionMask, true, "batch", "sequence");
        var copy = g.Node("Identity", [ids], "ids_copy");
        g.Output(g.CastToElement(copy), "ids_as_float", "batch", "sequence");
        return g.ToBytes();
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
