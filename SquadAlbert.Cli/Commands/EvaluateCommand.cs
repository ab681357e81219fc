using System.CommandLine;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>evaluate</c>: the official SQuAD evaluation with the official script's output: evaluate-v1.1.py's line
/// for a v1.1 dataset, evaluate-v2.0.py's JSON for a v2.0 dataset (with <c>--na-prob-file</c> the best thresholds).</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data")
        {
            Description = "SQuAD v1.1 or v2.0 dataset JSON (e.g. dev-v1.1.json, dev-v2.0.json).",
            Required = true,
        };
        var predictions = new Option<FileInfo>("--predictions")
        {
            Description = "Predictions JSON: an object mapping question id to answer text.",
            Required = true,
        };
        var naProbFile = new Option<FileInfo?>("--na-prob-file")
        {
            Description = "SQuAD v2.0 only: JSON mapping question id to no-answer probability (e.g. predict's --null-odds-out); " +
                "adds best_exact, best_exact_thresh, best_f1, best_f1_thresh and applies --na-prob-thresh.",
        };
        var naProbThreshold = new Option<double>("--na-prob-thresh")
        {
            Description = "SQuAD v2.0 only: predict no answer when the no-answer probability is above this (with --na-prob-file).",
            DefaultValueFactory = _ => OfficialSquadV2Metric.DefaultNoAnswerThreshold,
        };
        var command = new Command("evaluate",
            "Score predictions with the official SQuAD metrics: v1.1 prints {\"exact_match\": .., \"f1\": ..}; v2.0 prints " +
            "evaluate-v2.0.py's exact, f1, total, HasAns_*, NoAns_* (and best_* with --na-prob-file). Plausible answers are not used.")
        {
            data,
            predictions,
            naProbFile,
            naProbThreshold,
        };
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var output = OfficialSquadEvaluator.EvaluateToOfficialOutput(
                parseResult.GetRequiredValue(data).FullName,
                parseResult.GetRequiredValue(predictions).FullName,
                parseResult.GetValue(naProbFile)?.FullName,
                parseResult.GetValue(naProbThreshold),
                error.WriteLine);
            parseResult.InvocationConfiguration.Output.WriteLine(output);
            return 0;
        });
        return command;
    }
}
