using System.CommandLine;
using SquadAlbert.Analysis;

namespace SquadAlbert.Cli;

/// <summary>
/// Runs the parsed command and turns expected failures (bad input, cancellation) into one clear line on
/// stderr and a non-zero exit code; users never see a stack trace for their own mistakes.
/// </summary>
public static class CliRunner
{
    public const int InputError = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            EnableDefaultExceptionHandler = false,
        };
        var stderr = config.Error;
        try
        {
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (InputException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return InputError;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled");
            return Cancelled;
        }
    }
}
