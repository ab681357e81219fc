using System.CommandLine;

namespace SquadAlbert.Cli;

/// <summary>Every sub-command of the CLI, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.TokenizeCommand.Create();
    }
}
