using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

/// <summary>Runs the <c>squad-albert</c> command line in process, with every command it has, and captures what it prints.</summary>
internal static class CliHarness
{
    public static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliRunner.RunAsync(CommandCatalog.Root(), args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
