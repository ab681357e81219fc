using System.Globalization;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>The figures of one split of a run, over the samples stored so far. EM and F1 in percent.</summary>
public sealed record SplitSummary(string Split, int Samples, double ExactMatch, double F1, double MeanLoss);

/// <summary>A run with its per-split figures; <see cref="SamplesStored"/> is below <see cref="RunInfo.SampleCount"/> while a run is incomplete.</summary>
public sealed record RunSummary(RunInfo Run, IReadOnlyList<SplitSummary> Splits)
{
    public int SamplesStored => Splits.Sum(s => s.Samples);
}

/// <summary>Every run of a database with EM, F1, mean loss and sample count per split, for the run list.</summary>
public static class RunSummaries
{
    /// <summary>All runs, newest first; splits in population order (the order of their first sample).</summary>
    public static IReadOnlyList<RunSummary> Load(SqliteConnectionFactory database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var store = new RunStore(database);
        var runs = store.All();
        var splits = store.SplitSummaries();
        return [.. runs.OrderByDescending(r => r.Id).Select(r => new RunSummary(r, splits.TryGetValue(r.Id, out var list) ? list : []))];
    }

    /// <summary>The data files a run recorded (stored as a JSON array of paths).</summary>
    public static IReadOnlyList<string> DataFiles(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string[]>(run.DataFiles) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InputException(string.Create(CultureInfo.InvariantCulture, $"run {run.Id}: data_files is not a JSON array of paths ({e.Message})."));
        }
    }
}
