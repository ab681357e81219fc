using System.CommandLine;
using Microsoft.Data.Sqlite;
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
    public const int DatabaseBusy = 3;

    private const int SQLiteBusy = 5;
    private const int SQLiteLocked = 6;

    /// <summary>A command action that runs its long, synchronous <paramref name="body"/> on the thread pool: System.CommandLine
    /// listens for Ctrl-C and SIGTERM only once the action has handed back its task, so a body that ran to its end on the
    /// calling thread would be killed by them instead of seeing its cancellation token.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Cancellable(Func<ParseResult, CancellationToken, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return (parse, cancellation) => Task.Run(() => body(parse, cancellation), CancellationToken.None);
    }

    /// <summary>How long a command may take to stop after Ctrl-C or SIGTERM before the process ends anyway: long enough
    /// for an analysis to commit the batch it is writing.</summary>
    public static readonly TimeSpan DefaultTerminationGrace = TimeSpan.FromSeconds(30);

    /// <param name="terminationGrace">After Ctrl-C or SIGTERM, the command's cancellation token is cancelled and the process
    /// waits this long for it to stop cleanly (<see cref="DefaultTerminationGrace"/> if null).</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null, TimeSpan? terminationGrace = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = terminationGrace ?? DefaultTerminationGrace,
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
        catch (SqliteException ex) when (ex.SqliteErrorCode is SQLiteBusy or SQLiteLocked)
        {
            // Another process kept the database's write lock past the busy timeout (it may be stopped, e.g. with Ctrl-Z).
            await stderr.WriteLineAsync($"error: the database stayed locked by another process ({ex.Message.TrimEnd('.')}); " +
                "nothing was lost. Let the other writer finish or stop it, then run the same command again.");
            return DatabaseBusy;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled");
            return Cancelled;
        }
    }
}
