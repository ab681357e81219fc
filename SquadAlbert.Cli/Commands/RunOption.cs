using System.CommandLine;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--db FILE --run ID</c> of the commands that read a finished run: without <c>--run</c>, the latest finished run.</summary>
public static class RunOption
{
    public static Option<long?> Create() => new("--run")
    {
        Description = "run id (default: the latest finished run)",
        HelpName = "ID",
    };

    /// <summary>The existing database named by <paramref name="db"/> (or the default one).</summary>
    public static SqliteConnectionFactory OpenDatabase(string command, ParseResult parse, Option<FileInfo> db)
    {
        var path = DatabaseOption.Resolve(parse, db);
        if (!File.Exists(path))
        {
            throw new InputException($"{command}: database {path} does not exist; create a run with `squad-albert analyze` first.");
        }
        return AppSchema.Initialize(path);
    }

    /// <summary>The finished run asked for, or the latest finished one.</summary>
    public static RunInfo Resolve(SqliteConnectionFactory database, long? runId)
    {
        var runs = new RunStore(database).All();
        var ids = runs.Count == 0 ? "none" : string.Join(", ", runs.Select(r => r.IsFinished ? r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{r.Id} (incomplete)"));
        if (runId is { } id)
        {
            var run = runs.FirstOrDefault(r => r.Id == id) ?? throw new InputException($"{database.DatabasePath}: no run {id} (runs: {ids}).");
            return run.IsFinished ? run : throw new InputException($"{database.DatabasePath}: run {id} is not finished; the same `squad-albert analyze` command resumes it.");
        }
        return runs.LastOrDefault(r => r.IsFinished) ?? throw new InputException($"{database.DatabasePath}: no finished run (runs: {ids}).");
    }
}
