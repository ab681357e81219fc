using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Model.Reference;
using SquadAlbert.Analysis.Text;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class InputGradientGraphTests(ITestOutputHelper output)
{
    /// <summary>Runs the float64 gradient graph (of the loss unless another target is given) on a padded batch of windows.</summary>
    private sealed class DoubleGradientGraph(
        QaCheckpoint checkpoint, IReadOnlyList<QaWindow> windows, long[] starts, long[] ends, InputGradientTarget target = InputGradientTarget.Loss) : IDisposable
    {
        private readonly InferenceSession _session = new(
            QaGraphBuilder.BuildInputGradient(checkpoint, OnnxElementType.DoublePrecision, target), QaModelSession.CreateSessionOptions(1));

        public int Width { get; } = windows.Max(w => w.Length);

        public int EmbeddingSize { get; } = checkpoint.Config.EmbeddingSize;

        public double[] WordEmbeddings()
        {
            var table = checkpoint[checkpoint.Config.ParameterNames.WordEmbeddings].Data;
            var embeds = new double[windows.Count * Width * EmbeddingSize];
            for (var b = 0; b < windows.Count; b++)
            {
                for (var t = 0; t < windows[b].Length; t++)
                {
                    for (var k = 0; k < EmbeddingSize; k++)
                    {
                        embeds[(b * Width + t) * EmbeddingSize + k] = table[windows[b].InputIds[t] * EmbeddingSize + k];
                    }
                }
            }
            return embeds;
        }

        public (double[] Start, double[] Loss, double[] Grad, double[] End) Run(double[] embeds)
        {
            var mask = new long[windows.Count * Width];
            var types = new long[mask.Length];
            for (var b = 0; b < windows.Count; b++)
            {
                for (var t = 0; t < windows[b].Length; t++)
                {
                    mask[b * Width + t] = 1;
                    types[b * Width + t] = windows[b].TokenTypeIds[t];
                }
            }
            using var e = OrtValue.CreateTensorValueFromMemory(embeds, [windows.Count, Width, EmbeddingSize]);
            using var m = OrtValue.CreateTensorValueFromMemory(mask, [windows.Count, Width]);
            using var y = OrtValue.CreateTensorValueFromMemory(types, [windows.Count, Width]);
            using var s = OrtValue.CreateTensorValueFromMemory(starts, [windows.Count]);
            using var n = OrtValue.CreateTensorValueFromMemory(ends, [windows.Count]);
            using var options = new RunOptions();
            using var outputs = _session.Run(options, new Dictionary<string, OrtValue>
            {
                [QaGraphNames.InputsEmbeds] = e,
                [QaGraphNames.AttentionMask] = m,
                [QaGraphNames.TokenTypeIds] = y,
                [QaGraphNames.StartPositions] = s,
                [QaGraphNames.EndPositions] = n,
            }, [QaGraphNames.StartLogits, QaGraphNames.Loss, QaGraphNames.InputsEmbedsGrad, QaGraphNames.EndLogits]);
            return (outputs[0].GetTensorDataAsSpan<double>().ToArray(), outputs[1].GetTensorDataAsSpan<double>().ToArray(),
                outputs[2].GetTensorDataAsSpan<double>().ToArray(), outputs[3].GetTensorDataAsSpan<double>().ToArray());
        }

        public void Dispose() => _session.Dispose();
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Hand_derived_input_gradient_matches_central_finite_differences(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 13, scale: 0.3f);
        QaWindow[] windows = [TinyEncoders.Window(0, 0, 3, 7, seed: 1), TinyEncoders.Window(1, 0, 4, 12, seed: 2)];
        using var graph = new DoubleGradientGraph(checkpoint, windows, starts: [6, 9], ends: [8, 0]);
        var embeds = graph.WordEmbeddings();
        var (_, _, gradient, _) = graph.Run(embeds);

        var random = new Random(99);
        const double step = 1e-5;
        var worst = 0.0;
        for (var sample = 0; sample < 120; sample++)
        {
            var b = random.Next(windows.Length);
            var t = random.Next(windows[b].Length); // real tokens only: padding has no gradient by construction
            var k = random.Next(graph.EmbeddingSize);
            var index = (b * graph.Width + t) * graph.EmbeddingSize + k;
            var original = embeds[index];
            embeds[index] = original + step;
            var plus = graph.Run(embeds).Loss[b];
            embeds[index] = original - step;
            var minus = graph.Run(embeds).Loss[b];
            embeds[index] = original;
            var numeric = (plus - minus) / (2 * step);
            var relative = Math.Abs(numeric - gradient[index]) / Math.Max(Math.Max(Math.Abs(numeric), Math.Abs(gradient[index])), 1e-6);
            worst = Math.Max(worst, relative);
        }
        output.WriteLine($"{configName}: worst relative error {worst:E2} over 120 coordinates");
        Assert.True(worst < 1e-3, $"worst relative error {worst:E2} over 120 coordinates");
    }

    /// <summary>The start-/end-logit targets: d logits[b, position[b]] / d inputs_embeds against central differences
    /// of that logit, on the tiny ALBERT and BERT configurations.</summary>
    [Theory]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), InputGradientTarget.StartLogit)]
    [InlineData(nameof(TinyEncoders.TwoGroupsTwoInner), InputGradientTarget.EndLogit)]
    [InlineData(nameof(TinyEncoders.TwoGroupsTwoInner), InputGradientTarget.StartLogit)]
    [InlineData(nameof(TinyEncoders.Bert), InputGradientTarget.StartLogit)]
    [InlineData(nameof(TinyEncoders.Bert), InputGradientTarget.EndLogit)]
    public void Logit_target_gradient_matches_central_finite_differences(string configName, InputGradientTarget target)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 13, scale: 0.3f);
        QaWindow[] windows = [TinyEncoders.Window(0, 0, 3, 7, seed: 1), TinyEncoders.Window(1, 0, 4, 12, seed: 2)];
        long[] starts = [6, 9];
        long[] ends = [8, 11];
        using var graph = new DoubleGradientGraph(checkpoint, windows, starts, ends, target);
        var embeds = graph.WordEmbeddings();
        var gradient = graph.Run(embeds).Grad;
        double Logit(int b)
        {
            var run = graph.Run(embeds);
            return target == InputGradientTarget.StartLogit ? run.Start[b * graph.Width + (int)starts[b]] : run.End[b * graph.Width + (int)ends[b]];
        }

        var random = new Random(7);
        const double step = 1e-5;
        var worst = 0.0;
        for (var sample = 0; sample < 60; sample++)
        {
            var b = random.Next(windows.Length);
            var index = (b * graph.Width + random.Next(windows[b].Length)) * graph.EmbeddingSize + random.Next(graph.EmbeddingSize);
            var original = embeds[index];
            embeds[index] = original + step;
            var plus = Logit(b);
            embeds[index] = original - step;
            var minus = Logit(b);
            embeds[index] = original;
            var numeric = (plus - minus) / (2 * step);
            worst = Math.Max(worst, Math.Abs(numeric - gradient[index]) / Math.Max(Math.Max(Math.Abs(numeric), Math.Abs(gradient[index])), 1e-6));
        }
        output.WriteLine($"{configName} {target}: worst relative error {worst:E2} over 60 coordinates");
        Assert.True(worst < 1e-3, $"worst relative error {worst:E2} over 60 coordinates");
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Gradient_graph_logits_and_loss_match_the_reference_forward(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 4);
        QaWindow[] windows = [TinyEncoders.Window(0, 0, 2, 6, seed: 5), TinyEncoders.Window(1, 0, 3, 10, seed: 6)];
        long[] starts = [5, 7];
        long[] ends = [7, 9];
        using var graph = new DoubleGradientGraph(checkpoint, windows, starts, ends);

        var (start, loss, _, _) = graph.Run(graph.WordEmbeddings());

        for (var b = 0; b < windows.Length; b++)
        {
            var reference = EncoderReference.Forward(checkpoint, windows[b].InputIds, windows[b].TokenTypeIds);
            for (var t = 0; t < windows[b].Length; t++)
            {
                Assert.Equal(reference.StartLogits[t], start[b * graph.Width + t], 1e-7);
            }
            var expected = (CrossEntropy(reference.StartLogits, starts[b]) + CrossEntropy(reference.EndLogits, ends[b])) / 2;
            Assert.Equal(expected, loss[b], 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Float_session_gradients_agree_with_the_double_graph(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 8);
        var window = TinyEncoders.Window(0, 0, 3, 9, seed: 3);
        using var graph = new DoubleGradientGraph(checkpoint, [window], [6], [8]);
        var (_, expectedLoss, expectedGrad, _) = graph.Run(graph.WordEmbeddings());
        using var session = new InputGradientSession(checkpoint, threads: 1);

        var result = session.Run([new InputGradientRequest(window, session.Embed(window), 6, 8)])[0];

        Assert.Equal(expectedLoss[0], result.Loss, 1e-4);
        var scale = expectedGrad.Max(Math.Abs);
        for (var i = 0; i < result.InputsEmbedsGrad.Length; i++)
        {
            Assert.Equal(expectedGrad[i], result.InputsEmbedsGrad[i], 1e-4 * scale);
        }
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Loss_and_gradient_of_a_window_do_not_depend_on_the_padded_batch_it_is_in(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 8);
        var shortWindow = TinyEncoders.Window(0, 0, 2, 5, seed: 3);
        var longWindow = TinyEncoders.Window(1, 0, 4, 19, seed: 4);
        using var session = new InputGradientSession(checkpoint, threads: 1);
        var shortRequest = new InputGradientRequest(shortWindow, session.Embed(shortWindow), 5, 6);

        var alone = session.Run([shortRequest])[0];
        var batched = session.Run([new InputGradientRequest(longWindow, session.Embed(longWindow), 9, 12), shortRequest])[1];

        Assert.Equal(alone.Loss, batched.Loss, 1e-5);
        Assert.Equal(alone.InputsEmbedsGrad.Length, batched.InputsEmbedsGrad.Length);
        for (var i = 0; i < alone.InputsEmbedsGrad.Length; i++)
        {
            Assert.Equal(alone.InputsEmbedsGrad[i], batched.InputsEmbedsGrad[i], 1e-5);
        }
    }

    private static double CrossEntropy(double[] logits, long gold)
    {
        var max = logits.Max();
        return max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[gold];
    }
}
