using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Tests.Model;

public sealed class AlbertPretrainingModelTests
{
    private static readonly EncoderTrainingConfig Config = new(TinyModels.TwoGroupsTwoInner);

    [Fact]
    public void Parameters_carry_hugging_face_pretraining_names_and_share_the_qa_backbone_names()
    {
        using var pretraining = new AlbertPretrainingModel(Config);
        using var qa = new EncoderQaModel(Config);
        var names = pretraining.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("albert.pooler.weight", names);
        Assert.Contains("predictions.dense.weight", names);
        Assert.Contains("predictions.LayerNorm.weight", names);
        Assert.Contains("predictions.bias", names);
        Assert.Contains("sop_classifier.classifier.weight", names);
        var backbone = qa.named_parameters().Select(p => p.name).Where(n => n.StartsWith("albert.", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(backbone);
        Assert.All(backbone, name => Assert.Contains(name, names));
        Assert.Equal(backbone.Order(StringComparer.Ordinal), pretraining.ExportBackbone().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Loss_still_works_after_the_module_is_converted()
    {
        // Converting a module (to another dtype or device) replaces its parameter tensors: the heads must not
        // keep references to the old ones (this failed on CUDA before the bias was looked up per call).
        using var model = new AlbertPretrainingModel(Config);
        model.to(ScalarType.Float64);
        var (ids, types, mask, positions, labels, order) = Batch();
        var loss = model.Loss(ids, types, mask, positions, labels, order);
        Assert.True(double.IsFinite(loss.Total.item<double>()));
    }

    [Fact]
    public void Masked_lm_loss_is_the_cross_entropy_of_the_tied_decoder_at_the_masked_positions()
    {
        using var model = new AlbertPretrainingModel(Config);
        model.eval();
        var (ids, types, mask, positions, labels, order) = Batch();
        var loss = model.Loss(ids, types, mask, positions, labels, order);
        // Untrained, the decoder is close to uniform over the vocabulary: loss ≈ ln(vocab), SOP ≈ ln 2.
        Assert.InRange(loss.MaskedLm.item<float>(), Math.Log(60) - 0.5, Math.Log(60) + 0.5);
        Assert.InRange(loss.SentenceOrder.item<float>(), Math.Log(2) - 0.2, Math.Log(2) + 0.2);
        Assert.Equal(loss.MaskedLm.item<float>() + loss.SentenceOrder.item<float>(), loss.Total.item<float>(), 4);
    }

    [Fact]
    public void A_qa_model_takes_over_the_backbone_and_keeps_its_own_head()
    {
        using var pretraining = new AlbertPretrainingModel(Config);
        using var qa = new EncoderQaModel(Config);
        var headBefore = qa.ExportTensors()["qa_outputs.weight"].Data.ToArray();
        var backbone = pretraining.ExportBackbone();

        var copied = qa.ImportPretrained(backbone, "test");

        Assert.Equal(backbone.Count, copied);
        var after = qa.ExportTensors();
        Assert.All(backbone, pair => Assert.Equal(pair.Value.Data, after[pair.Key].Data));
        Assert.Equal(headBefore, after["qa_outputs.weight"].Data);
    }

    [Fact]
    public void A_backbone_of_other_sizes_is_refused_naming_the_tensor()
    {
        using var other = new AlbertPretrainingModel(new EncoderTrainingConfig(TinyModels.SharedOneGroup));
        using var qa = new EncoderQaModel(Config);
        var error = Assert.Throws<InputException>(() => qa.ImportPretrained(other.ExportBackbone(), "other.safetensors"));
        Assert.Contains("other.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("albert.encoder.albert_layer_groups.", error.Message, StringComparison.Ordinal);
    }

    private static (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) Batch()
    {
        var examples = new[]
        {
            new PretrainingExample([2, 10, 11, 12, 3, 20, 21, 22, 23, 3], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 0),
            new PretrainingExample([2, 30, 31, 3, 40, 41, 42, 3], [0, 0, 0, 0, 1, 1, 1, 1], 1),
        };
        var masking = new MaskingOptions(0.3, MaskId: 4, FirstRandomId: 5, VocabularySize: 60, new HashSet<int> { 0, 2, 3 });
        return MaskedBatch.ToTensors(MaskedBatch.Mask(examples, masking, seed: 1, step: 0), CPU);
    }
}
