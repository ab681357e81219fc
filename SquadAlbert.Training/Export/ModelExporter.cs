using System.Globalization;
using System.Text;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Export;

/// <summary>Facts about how a model was trained, for its model card.</summary>
public sealed record TrainingFacts(RunSettings Settings, TrainingProgress Progress, QaScore? LastEvaluation, string TrainData);

/// <summary>
/// Writes a Hugging Face–style model folder that the ONNX Runtime path loads unchanged: <c>config.json</c>,
/// <c>model.safetensors</c> (via the shared <see cref="QaCheckpoint"/>), <c>spiece.model</c>, <c>tokenizer_config.json</c>
/// (its <c>model_max_length</c> is the training window length) and <c>MODEL_CARD.md</c>.
/// </summary>
public static class ModelExporter
{
    public const string ModelCardFileName = "MODEL_CARD.md";

    /// <param name="tokenizerSource">The tokenizer the run was trained with: a model folder holding it (the
    /// <c>--init-from</c> folder), or the tokenizer file itself (<c>spiece.model</c> / <c>vocab.txt</c>).</param>
    /// <param name="halfPrecision">Write the weights as float16 (half the size).</param>
    public static void Export(EncoderQaModel model, string tokenizerSource, string outputDirectory, TrainingFacts facts, bool halfPrecision = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(facts);
        var family = model.Config.Architecture.Family;
        var tokenizerFile = family == ModelFamily.Albert ? ModelTokenizer.SentencePieceFileName : ModelTokenizer.VocabularyFileName;
        var tokenizerPath = Directory.Exists(tokenizerSource) ? Path.Combine(tokenizerSource, tokenizerFile) : tokenizerSource;
        if (!File.Exists(tokenizerPath))
        {
            throw new Analysis.InputException($"{tokenizerPath}: tokenizer file not found (--tokenizer; a {model.Config.Architecture.ModelType} model needs {tokenizerFile}).");
        }
        var checkpoint = new QaCheckpoint(model.Config.Architecture, model.ExportTensors(), "exported model");
        checkpoint.Save(outputDirectory, halfPrecision);
        // The shared checkpoint writes the architecture fields; the training fields complete Hugging Face's config.
        model.Config.Save(Path.Combine(outputDirectory, EncoderConfig.FileName));
        File.Copy(tokenizerPath, Path.Combine(outputDirectory, tokenizerFile), overwrite: true);
        // Positions beyond the trained window length were never learnt: tell every reader of this folder.
        ModelWindowDefaults.Write(outputDirectory, model.Config.Architecture.Family, facts.Settings.Featurizer.MaxSeqLength);
        File.WriteAllText(Path.Combine(outputDirectory, ModelCardFileName), ModelCard(model.Config, facts));
    }

    public static string ModelCard(EncoderTrainingConfig config, TrainingFacts facts)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(facts);
        var a = config.Architecture;
        var t = facts.Settings.Training;
        var f = facts.Settings.Featurizer;
        var card = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var family = a.Family == ModelFamily.Albert ? "ALBERT" : "BERT";
        if (facts.Settings.InitFrom is { } init)
        {
            card.AppendLine(c, $"# {family} for extractive QA, fine-tuned on SQuAD v1.1");
            card.AppendLine();
            card.AppendLine(c, $"Fine-tuned with TorchSharp by `SquadAlbert.Training` from the pretrained weights in `{init}` (fresh QA head).");
        }
        else
        {
            card.AppendLine(c, $"# {family} for extractive QA, trained from scratch on SQuAD v1.1");
            card.AppendLine();
            card.AppendLine("Trained with TorchSharp by `SquadAlbert.Training`; no pretrained weights. Not comparable to");
            card.AppendLine("pretrained checkpoints: expect far lower scores.");
        }
        card.AppendLine();
        card.AppendLine("## Architecture");
        card.AppendLine(c, $"- vocab {a.VocabSize}, embedding {a.EmbeddingSize}, hidden {a.HiddenSize}, intermediate {a.IntermediateSize}, heads {a.NumAttentionHeads}");
        var activation = a.HiddenAct == EncoderActivation.GeluTanh ? "gelu_new" : "gelu";
        card.AppendLine(a.Family == ModelFamily.Albert
            ? string.Create(c, $"- {a.NumHiddenLayers} layer repetitions over {a.NumHiddenGroups} group(s) × {a.InnerGroupNum} inner layer(s), activation {activation}")
            : string.Create(c, $"- {a.NumHiddenLayers} layers, activation {activation}"));
        card.AppendLine(c, $"- dropout hidden {config.HiddenDropoutProb}, attention {config.AttentionProbsDropoutProb}; init std {config.InitializerRange}");
        card.AppendLine();
        card.AppendLine("## Training");
        card.AppendLine(c, $"- data: {facts.TrainData}{(facts.Settings.TrainExampleLimit is { } limit ? $" (first {limit} questions)" : "")}");
        card.AppendLine(c, $"- windows: max length {f.MaxSeqLength}, doc stride {f.DocStride}, max query {f.MaxQueryLength}");
        card.AppendLine(c, $"- AdamW lr {t.LearningRate}, betas ({t.Beta1}, {t.Beta2}), eps {t.AdamEpsilon}, weight decay {t.WeightDecay} (not on biases/LayerNorm)");
        card.AppendLine(c, $"- batch {t.BatchSize}, warm-up {t.WarmupFraction:P0} then linear decay, grad clip {t.MaxGradNorm}, seed {t.Seed}");
        card.AppendLine(c, $"- steps done: {facts.Progress.Step} (epoch {facts.Progress.Epoch}); planned: {(t.MaxSteps is { } max ? $"{max} steps" : $"{t.Epochs} epoch(s)")}");
        card.AppendLine();
        card.AppendLine("## Evaluation");
        card.AppendLine(facts.LastEvaluation is { } e
            ? string.Create(c, $"- last in-training evaluation: EM {e.ExactMatch:F2}, F1 {e.F1:F2} on the first {e.QuestionCount} questions of dev-v1.1")
            : "- no in-training evaluation recorded");
        card.AppendLine("- Full dev-v1.1 scores: run the analysis CLI on this folder.");
        return card.ToString();
    }
}
