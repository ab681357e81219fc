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
        var output = new Option<string>("--output") { Description = "Model folder to write (config.json, model.safetensors, spiece.model, MODEL_CARD.md).", Required = true };
        var tokenizer = new Option<string>("--tokenizer")
        {
            DefaultValueFactory = _ => Path.Combine("models", "tokenizer", "spiece.model"),
            Description = "The SentencePiece model the run was trained with.",
        };
        var command = new Command("export", "Write the newest checkpoint of a training run as a Hugging Face–style ALBERT QA model folder.")
        {
            runDir, output, tokenizer,
        };
        command.SetAction(parse =>
        {
            var run = new TrainingRun(parse.GetRequiredValue(runDir));
            var settings = run.LoadSettings();
            using var model = new AlbertQaModel(AlbertTrainingConfig.Load(run.ConfigPath));
            var progress = run.Checkpoints.TryLoadLatestWeights(model)
                ?? throw new InputException($"{run.Checkpoints.Directory}: no checkpoint to export.");
            var facts = new TrainingFacts(settings, progress, run.LastEvaluation(), SquadFiles.OfficialTrainV11.FileName);
            var destination = parse.GetRequiredValue(output);
            ModelExporter.Export(model, parse.GetRequiredValue(tokenizer), destination, facts);
            parse.InvocationConfiguration.Output.WriteLine($"exported step {progress.Step} to {Path.GetFullPath(destination)}");
            return 0;
        });
        return command;
    }
}
