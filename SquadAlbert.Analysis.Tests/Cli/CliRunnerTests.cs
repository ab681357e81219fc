using System.CommandLine;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

/// <summary>How the CLI ends on failures that are not bugs: one line on stderr and a documented exit code.</summary>
public sealed class CliRunnerTests
{
    [Fact]
    public async Task A_database_another_process_keeps_locked_ends_with_a_clear_line_instead_of_a_crash()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var holderFactory = new SqliteConnectionFactory(path);
        using var holder = holderFactory.Open();
        using var locked = holder.BeginTransaction(deferred: false);
        var root = new RootCommand();
        var write = new Command("write");
        write.SetAction(_ =>
        {
            using var connection = new SqliteConnectionFactory(path, TimeSpan.FromSeconds(1)).Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t (x INTEGER)";
            command.ExecuteNonQuery();
        });
        root.Subcommands.Add(write);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliRunner.RunAsync(root, ["write"], output, error);

        Assert.Equal(CliRunner.DatabaseBusy, code);
        Assert.StartsWith("error: the database stayed locked by another process", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("run the same command again", error.ToString(), StringComparison.Ordinal);
    }
}
