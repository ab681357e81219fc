using System.CommandLine;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>evaluate</c>: the official SQuAD v1.1 evaluation, with the official script's output line.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data")
        {
            Description = "SQuAD v1.1 dataset JSON (e.g. dev-v1.1.json).",
            Required = true,
        };
        var predictions = new Option<FileInfo>("--predictions")
        {
            Description = "Predictions JSON: an object mapping question id to answer text.",
            Required = true,
        };
        var command = new Command("evaluate", "Score predictions with the official SQuAD v1.1 exact match and F1; prints {\"exact_match\": .., \"f1\": ..}.")
        {
            data,
            predictions,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var evaluation = OfficialSquadEvaluator.EvaluateFiles(
                parseResult.GetRequiredValue(data).FullName,
                parseResult.GetRequiredValue(predictions).FullName,
                error.WriteLine);
            parseResult.InvocationConfiguration.Output.WriteLine(evaluation.ToOfficialJson());
            return 0;
        });
        return command;
    }
}
