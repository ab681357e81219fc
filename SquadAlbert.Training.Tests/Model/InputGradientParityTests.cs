using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Model;

public sealed class InputGradientParityTests
{
    [Theory]
    [InlineData(nameof(TinyModels.TwoGroupsTwoInner))]
    [InlineData(nameof(TinyModels.Bert))]
    public void Torchsharp_autograd_equals_the_onnx_input_gradient_graph(string configName)
    {
        var config = TinyModels.ByName(configName);
        var checkpoint = QaCheckpoint.Random(config, seed: 21, scale: 0.3f);
        using var model = new EncoderQaModel(new EncoderTrainingConfig(config));
        model.ImportTensors(checkpoint);
        model.eval();
        var windows = TinyModels.Windows(2, config.VocabSize, seed: 17);

        using var onnx = new InputGradientSession(checkpoint, threads: 1);
        // Both windows in one ONNX batch (the shorter one padded); TorchSharp sees each alone.
        var onnxResults = onnx.Run(windows.Select(w => new InputGradientRequest(w, onnx.Embed(w), w.GoldStart, w.GoldEnd)).ToArray());

        for (var i = 0; i < windows.Length; i++)
        {
            using var batch = QaBatch.Create([windows[i]]);
            using var embeds = model.WordEmbeddings(batch.InputIds).detach().requires_grad_(true);
            var logits = model.ForwardEmbeds(embeds, batch.TokenTypeIds, batch.AttentionMask);
            using var loss = EncoderQaModel.SpanLoss(logits, batch.StartPositions, batch.EndPositions);
            loss.backward();
            var gradient = embeds.grad!.data<float>().ToArray();

            Assert.Equal(onnxResults[i].Loss, loss.item<float>(), 1e-4);
            Assert.Equal(onnxResults[i].InputsEmbedsGrad.Length, gradient.Length);
            var scale = gradient.Max(Math.Abs);
            Assert.True(scale > 0);
            for (var k = 0; k < gradient.Length; k++)
            {
                Assert.Equal(onnxResults[i].InputsEmbedsGrad[k], gradient[k], 1e-4 + 1e-3 * scale);
            }
        }
    }
}
