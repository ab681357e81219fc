namespace SquadAlbert.Analysis.Runs;

/// <summary>Where a run stands: rows are still being written, or every batch and the run's figures are in.</summary>
public enum RunStatus
{
    Incomplete,
    Finished,
}

public static class RunStatuses
{
    /// <summary>The word <c>runs.status</c> stores and the run list shows: "incomplete" or "finished".</summary>
    public static string Label(this RunStatus status) => status switch
    {
        RunStatus.Incomplete => "incomplete",
        RunStatus.Finished => "finished",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown run status"),
    };

    /// <exception cref="InputException">Not a stored status.</exception>
    public static RunStatus Parse(string label, string source) => label switch
    {
        "incomplete" => RunStatus.Incomplete,
        "finished" => RunStatus.Finished,
        _ => throw new InputException($"{source}: unknown run status '{label}' (expected incomplete or finished)."),
    };
}

/// <summary>What a run is made of when it is created (<see cref="RunStore.BeginWriting"/>): the store adds the id, the
/// status (incomplete) and the creation time.</summary>
/// <param name="RunKey">Identifies equal runs (<see cref="AnalysisRunner.RunKey"/>).</param>
/// <param name="DataFiles">The SQuAD files the population was drawn from, as the user gave them.</param>
/// <param name="Population">The population in words.</param>
/// <param name="BatchCount">Batches the run will be written in.</param>
public sealed record NewRun(
    string RunKey, string ModelPath, string ModelSha256, IReadOnlyList<string> DataFiles, string Preset, string Population, string SettingsJson,
    int SampleCount, int BatchCount);

/// <summary>A row of the <c>runs</c> table. The corpus figures (<see cref="WindowCount"/>, EM, F1 and the mean loss; EM and F1
/// in percent) are null until the run finished.</summary>
public sealed record RunInfo
{
    public required long Id { get; init; }
    public required string RunKey { get; init; }
    public required string ModelPath { get; init; }
    public required string ModelSha256 { get; init; }
    /// <summary>The data files as stored: a JSON array of paths (<see cref="RunSummaries.DataFiles"/> reads it).</summary>
    public required string DataFiles { get; init; }
    public required string Preset { get; init; }
    public required string Population { get; init; }
    public required string SettingsJson { get; init; }
    public required RunStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset? FinishedAt { get; init; }
    public required int SampleCount { get; init; }
    public required int BatchCount { get; init; }
    public int? WindowCount { get; init; }
    public double? ExactMatch { get; init; }
    public double? F1 { get; init; }
    public double? MeanLoss { get; init; }

    public bool IsFinished => Status == RunStatus.Finished;
}
