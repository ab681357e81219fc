using System.CommandLine;
using SquadAlbert.Cli.Commands;

namespace SquadAlbert.Cli;

/// <summary>Every sub-command of the CLI, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static RootCommand Root()
    {
        var root = new RootCommand("squad-albert: find why an extractive QA model fails on SQuAD-format data.");
        foreach (var command in All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static IEnumerable<Command> All()
    {
        yield return ValidateCommand.Create();
        yield return PopulationCommand.Create();
        yield return DownloadCommand.Create();
        yield return EvaluateCommand.Create();
        yield return TokenizeCommand.Create();
        yield return PredictCommand.Create();
        yield return AttributeCommand.Create();
        yield return AnalyzeCommand.Create();
        yield return LatentCommand.Create();
        yield return ClustersCommand.Create();
        yield return LabelErrorsCommand.Create();
        yield return LabelNoiseCommand.Create();
        yield return CompareCommand.Create();
        yield return ProbeCommand.Create();
    }
}
