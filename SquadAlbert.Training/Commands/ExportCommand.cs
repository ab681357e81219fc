using System.CommandLine;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Training.Export;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary><c>export</c>: the newest checkpoint of a run as a Hugging Face–style model folder.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runDir = new Option<string>("--run-dir") { Description = "Training run folder.", Required = true };
        var output = new Option<string>("--output") { Description = "Model folder to write (config.json, model.safetensors, the tokenizer, MODEL_CARD.md).", Required = true };
        var tokenizer = new Option<string?>("--tokenizer")
        {
            Description = "The tokenizer the run was trained with (spiece.model, vocab.txt or a model folder); default: the run's --init-from model folder, else models/tokenizer/spiece.model.",
        };
        var half = new Option<bool>("--f16") { Description = "Write the weights as float16 (half the size; for a model that ships)." };
        var command = new Command("export", "Write the newest checkpoint of a training run as a Hugging Face–style ALBERT or BERT QA model folder.")
        {
            runDir, output, tokenizer, half,
        };
        command.SetAction(parse =>
        {
            var run = new TrainingRun(parse.GetRequiredValue(runDir));
            var settings = run.LoadSettings();
            using var model = new EncoderQaModel(EncoderTrainingConfig.Load(run.ConfigPath));
            var progress = run.Checkpoints.TryLoadLatestWeights(model)
                ?? throw new InputException($"{run.Checkpoints.Directory}: no checkpoint to export.");
            var facts = new TrainingFacts(settings, progress, run.LastEvaluation(), SquadFiles.OfficialTrainV11.FileName);
            var destination = parse.GetRequiredValue(output);
            var tokenizerSource = parse.GetValue(tokenizer)
                ?? (settings.InitFrom is { } init && Directory.Exists(init) ? init : Path.Combine("models", "tokenizer", "spiece.model"));
            ModelExporter.Export(model, tokenizerSource, destination, facts, parse.GetValue(half));
            parse.InvocationConfiguration.Output.WriteLine($"exported step {progress.Step} to {Path.GetFullPath(destination)}");
            return 0;
        });
        return command;
    }
}
