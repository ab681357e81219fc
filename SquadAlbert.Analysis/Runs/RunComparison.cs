using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>Exact match "right" in one run and not in the other.</summary>
public enum Flip
{
    None,
    RightToWrong,
    WrongToRight,
}

/// <summary>One question in both runs; deltas are B − A.</summary>
public sealed record SampleDelta(int SampleIndex, string ExampleId, string Split, bool ExactMatchA, bool ExactMatchB, double F1A, double F1B, double LossA, double LossB)
{
    public double F1Delta => F1B - F1A;

    public double LossDelta => LossB - LossA;

    public Flip Flip => Flips.Of(ExactMatchA, ExactMatchB);
}

public static class Flips
{
    /// <summary>How exact match changed from run A to run B.</summary>
    public static Flip Of(bool exactMatchA, bool exactMatchB) =>
        exactMatchA == exactMatchB ? Flip.None : exactMatchA ? Flip.RightToWrong : Flip.WrongToRight;
}

/// <summary>Two runs over the same questions. Figures are over matched questions; EM and F1 in percent.</summary>
/// <param name="Matched">Questions in both runs (same population position and id).</param>
/// <param name="OnlyInA">Questions of run A with no partner in B (different populations); not in the figures.</param>
public sealed record RunComparisonResult(
    long RunA, long RunB, int Matched, int OnlyInA, int OnlyInB, double ExactMatchA, double ExactMatchB, double F1A, double F1B,
    double MeanLossA, double MeanLossB, IReadOnlyList<SampleDelta> Samples)
{
    public int RightToWrong => Samples.Count(s => s.Flip == Flip.RightToWrong);

    public int WrongToRight => Samples.Count(s => s.Flip == Flip.WrongToRight);

    public int F1Improved => Samples.Count(s => s.F1Delta > 0);

    public int F1Worsened => Samples.Count(s => s.F1Delta < 0);
}

/// <summary>Compares two runs question by question: pairs are matched on population position and question id.</summary>
public static class RunComparison
{
    /// <exception cref="InputException">A run id is not in the database, or the runs share no question.</exception>
    public static RunComparisonResult Compare(SqliteConnectionFactory database, long runA, long runB)
    {
        ArgumentNullException.ThrowIfNull(database);
        var store = new RunStore(database);
        var a = store.Find(runA) ?? throw new InputException($"{database.DatabasePath}: no run {runA} (runs: {Ids(store)}).");
        var b = store.Find(runB) ?? throw new InputException($"{database.DatabasePath}: no run {runB} (runs: {Ids(store)}).");
        var samples = store.SampleDeltas(runA, runB);
        if (samples.Count == 0)
        {
            throw new InputException($"{database.DatabasePath}: runs {runA} and {runB} share no question; compare runs over the same population.");
        }
        var storedA = store.SampleCount(runA);
        var storedB = store.SampleCount(runB);
        return new RunComparisonResult(
            a.Id, b.Id, samples.Count, storedA - samples.Count, storedB - samples.Count,
            100.0 * samples.Average(s => s.ExactMatchA ? 1 : 0), 100.0 * samples.Average(s => s.ExactMatchB ? 1 : 0),
            100.0 * samples.Average(s => s.F1A), 100.0 * samples.Average(s => s.F1B),
            samples.Average(s => s.LossA), samples.Average(s => s.LossB), samples);
    }

    private static string Ids(RunStore store)
    {
        var ids = store.All().Select(r => r.Id).ToList();
        return ids.Count == 0 ? "none" : string.Join(", ", ids);
    }
}
