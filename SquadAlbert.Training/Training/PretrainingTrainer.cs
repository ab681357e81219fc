using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Training.Model;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>Masked-LM + sentence-order pre-training of <see cref="AlbertPretrainingModel"/> (loop in
/// <see cref="TrainerBase{TModel}"/>); logs the two losses and the masked-token accuracy per step.</summary>
public sealed class PretrainingTrainer : TrainerBase<AlbertPretrainingModel>
{
    private readonly IReadOnlyList<PretrainingExample> _examples;
    private readonly MaskingOptions _masking;

    public PretrainingTrainer(EncoderTrainingConfig config, TrainingOptions options, IReadOnlyList<PretrainingExample> examples,
        MaskingOptions masking, TrainingCheckpoints checkpoints, string? logPath = null, TextWriter? console = null, Device? device = null)
        : base(options, Lengths(examples), Seeded(options?.Seed ?? 0, () => new AlbertPretrainingModel(config)), checkpoints, logPath, console, device)
    {
        ArgumentNullException.ThrowIfNull(masking);
        _examples = examples;
        _masking = masking;
    }

    /// <summary>Writes the backbone of the current weights as <c>safetensors</c> (for <c>train --init-from</c>).</summary>
    public void SaveBackbone(string path) => SafeTensors.Write(path, Model.ExportBackbone());

    protected override StepResult TrainBatch(int[] indices, double learningRate)
    {
        using var scope = NewDisposeScope();
        var arrays = MaskedBatch.Mask(indices.Select(i => _examples[i]).ToArray(), _masking, Options.Seed, Progress.Step);
        var (ids, types, mask, positions, labels, order) = MaskedBatch.ToTensors(arrays, Device);
        PretrainingLoss? parts = null;
        var loss = OptimizerStep(learningRate, () =>
        {
            parts = Model.Loss(ids, types, mask, positions, labels, order);
            return parts.Total;
        });
        return new StepResult(loss, new Dictionary<string, object>
        {
            ["mlm_loss"] = parts!.MaskedLm.item<float>(),
            ["sop_loss"] = parts.SentenceOrder.item<float>(),
            ["mlm_accuracy"] = Math.Round(parts.MaskedCorrect.item<long>() / (double)arrays.MaskedLabels.Length, 4),
        });
    }

    private static int[] Lengths(IReadOnlyList<PretrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Select(e => e.Length).ToArray();
    }
}
