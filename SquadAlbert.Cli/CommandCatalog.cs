using System.CommandLine;
using SquadAlbert.Cli.Commands;

namespace SquadAlbert.Cli;

/// <summary>Every sub-command of the CLI, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
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
    }
}
