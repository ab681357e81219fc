using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Reference;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Tests.Model;

public sealed class EncoderQaModelTests
{
    [Fact]
    public void Parameter_names_and_shapes_match_hugging_face_for_two_groups_of_two_layers()
    {
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.TwoGroupsTwoInner));
        var actual = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape.Select(d => (int)d).ToArray());
        var expected = EncoderParameterNames.Expected(TinyModels.TwoGroupsTwoInner).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, pair => Assert.Equal(pair.Value, actual[pair.Key]));
        Assert.Contains("albert.encoder.albert_layer_groups.1.albert_layers.1.attention.LayerNorm.weight", actual.Keys);
    }

    [Fact]
    public void Parameter_names_and_shapes_match_hugging_face_bert()
    {
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.Bert));
        var actual = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape.Select(d => (int)d).ToArray());
        var expected = EncoderParameterNames.Expected(TinyModels.Bert).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, pair => Assert.Equal(pair.Value, actual[pair.Key]));
        // Spelled out, so a slip shared by the model and EncoderParameterNames still shows.
        Assert.Equal([24, 16], actual["bert.encoder.layer.2.intermediate.dense.weight"]);
        Assert.Equal([16], actual["bert.encoder.layer.0.attention.self.query.bias"]);
        Assert.Equal([16], actual["bert.encoder.layer.1.attention.output.LayerNorm.weight"]);
        Assert.Equal([60, 16], actual["bert.embeddings.word_embeddings.weight"]);
        Assert.DoesNotContain(actual.Keys, name => name.StartsWith("albert.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(TinyModels.SharedOneGroup))]
    [InlineData(nameof(TinyModels.TwoGroupsTwoInner))]
    [InlineData(nameof(TinyModels.Bert))]
    public void Logits_match_the_independent_reference_forward(string configName)
    {
        var config = TinyModels.ByName(configName);
        var checkpoint = QaCheckpoint.Random(config, seed: 3);
        using var model = new EncoderQaModel(new EncoderTrainingConfig(config));
        model.ImportTensors(checkpoint);
        model.eval();
        var window = TinyModels.Windows(1, config.VocabSize, seed: 5)[0];
        var expected = EncoderReference.Forward(checkpoint, window.InputIds, window.TokenTypeIds);

        using var batch = QaBatch.Create([window]);
        var logits = model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var start = logits.Start.data<float>().ToArray();
        var end = logits.End.data<float>().ToArray();
        for (var t = 0; t < window.Length; t++)
        {
            Assert.Equal(expected.StartLogits[t], start[t], 3e-4);
            Assert.Equal(expected.EndLogits[t], end[t], 3e-4);
        }
    }

    [Theory]
    [InlineData(nameof(TinyModels.TwoGroupsTwoInner))]
    [InlineData(nameof(TinyModels.Bert))]
    public void Padding_does_not_change_the_logits_of_real_tokens(string configName)
    {
        var config = TinyModels.ByName(configName);
        using var model = new EncoderQaModel(new EncoderTrainingConfig(config));
        model.eval();
        var windows = TinyModels.Windows(2, config.VocabSize, seed: 9);
        var shorter = windows.MinBy(w => w.Length)!;
        Assert.NotEqual(windows[0].Length, windows[1].Length);
        using var alone = QaBatch.Create([shorter]);
        using var padded = QaBatch.Create(windows);
        var aloneStart = model.Forward(alone.InputIds, alone.TokenTypeIds, alone.AttentionMask).Start[0];
        var paddedStart = model.Forward(padded.InputIds, padded.TokenTypeIds, padded.AttentionMask).Start[Array.IndexOf(windows, shorter)];
        Assert.True(aloneStart.allclose(paddedStart[..shorter.Length], rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Inputs_embeds_entry_point_equals_the_token_id_path_and_has_gradients()
    {
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.SharedOneGroup));
        model.eval();
        using var batch = QaBatch.Create(TinyModels.Windows(3, TinyModels.SharedOneGroup.VocabSize, seed: 2));
        var byIds = model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var embeds = model.WordEmbeddings(batch.InputIds).detach().requires_grad_(true);
        var byEmbeds = model.ForwardEmbeds(embeds, batch.TokenTypeIds, batch.AttentionMask);
        Assert.True(byIds.Start.allclose(byEmbeds.Start));
        EncoderQaModel.SpanLoss(byEmbeds, batch.StartPositions, batch.EndPositions).backward();
        Assert.Equal(embeds.shape, embeds.grad!.shape);
        Assert.True(embeds.grad!.abs().sum().item<float>() > 0);
    }

    /// <summary><c>train --init-from</c> a BERT folder: every <c>bert.*</c> tensor comes from the file (an imported
    /// encoder has no QA head), the QA head keeps its fresh initialisation.</summary>
    [Fact]
    public void Import_backbone_from_a_bert_folder_copies_every_bert_tensor_and_leaves_the_qa_head()
    {
        var folder = Directory.CreateTempSubdirectory("bert-backbone");
        try
        {
            QaCheckpoint.Random(TinyModels.Bert, seed: 4).Save(folder.FullName);
            var weights = Path.Combine(folder.FullName, QaCheckpoint.WeightsFileName);
            var file = SafeTensors.Read(weights);
            var backboneOnly = file.Where(t => t.Key.StartsWith("bert.", StringComparison.Ordinal)).ToDictionary();
            using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.Bert));
            var headBefore = model.ExportTensors().Where(t => t.Key.StartsWith(EncoderParameterNames.QaOutputs, StringComparison.Ordinal))
                .ToDictionary(t => t.Key, t => t.Value.Data);

            var copied = model.ImportPretrained(backboneOnly, weights);

            Assert.Equal(EncoderParameterNames.Expected(TinyModels.Bert).Count() - 2, copied);
            Assert.Equal(backboneOnly.Count, copied);
            var after = model.ExportTensors();
            foreach (var (name, tensor) in backboneOnly)
            {
                Assert.Equal(tensor.Data, after[name].Data);
            }
            foreach (var (name, data) in headBefore)
            {
                Assert.Equal(data, after[name].Data);
                Assert.NotEqual(file[name].Data, after[name].Data);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Import_backbone_names_a_missing_bert_tensor_and_refuses_albert_weights()
    {
        var bert = QaCheckpoint.Random(TinyModels.Bert, seed: 4);
        var tensors = EncoderParameterNames.Expected(TinyModels.Bert).ToDictionary(p => p.Name, p => bert[p.Name]);
        const string dropped = "bert.encoder.layer.1.output.dense.bias";
        tensors.Remove(dropped);
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.Bert));

        var missing = Assert.Throws<Analysis.InputException>(() => model.ImportPretrained(tensors, "backbone.safetensors"));
        Assert.Contains("backbone.safetensors", missing.Message, StringComparison.Ordinal);
        Assert.Contains($"'{dropped}' missing", missing.Message, StringComparison.Ordinal);

        var albert = QaCheckpoint.Random(TinyModels.SharedOneGroup, seed: 4);
        var albertTensors = EncoderParameterNames.Expected(TinyModels.SharedOneGroup).ToDictionary(p => p.Name, p => albert[p.Name]);
        var wrongFamily = Assert.Throws<Analysis.InputException>(() => model.ImportPretrained(albertTensors, "albert.safetensors"));
        Assert.Contains("'bert.", wrongFamily.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_loss_is_the_mean_of_start_and_end_cross_entropy_and_ignores_positions_past_the_window()
    {
        // Uniform logits over 4 tokens: each cross-entropy is ln 4.
        var logits = new QaLogits(zeros(2, 4), zeros(2, 4));
        var inside = EncoderQaModel.SpanLoss(logits, tensor(new long[] { 1, 2 }), tensor(new long[] { 3, 3 })).item<float>();
        Assert.Equal(Math.Log(4), inside, 5);

        // Start logits favour token 0 in row 0; row 1's start (99) is clamped to 4 = ignored, so only row 0 counts.
        var start = tensor(new float[] { 2, 0, 0, 0, 5, 5, 5, 5 }, [2, 4]);
        var loss = EncoderQaModel.SpanLoss(new QaLogits(start, zeros(2, 4)), tensor(new long[] { 0, 99 }), tensor(new long[] { 1, 1 })).item<float>();
        var startCe = -Math.Log(Math.Exp(2) / (Math.Exp(2) + 3));
        Assert.Equal((startCe + Math.Log(4)) / 2, loss, 5);
    }
}
