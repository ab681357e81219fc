using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Datasets;

namespace SquadAlbert.Dashboard.Features.Runs;

public enum RunJobStatus
{
    Running,
    Finished,
    Cancelled,
    Failed,
}

/// <summary>How far the current stage is. <paramref name="ItemsPerSecond"/> and <paramref name="Remaining"/> are null until known.</summary>
public readonly record struct StageProgress(double Fraction, string Detail, double? ItemsPerSecond = null, TimeSpan? Remaining = null)
{
    public static StageProgress Of(AnalysisProgress progress) => new(
        progress.Fraction,
        string.Create(CultureInfo.InvariantCulture, $"{progress.SamplesDone:N0} of {progress.SamplesTotal:N0} questions"),
        progress.SamplesPerSecond > 0 ? progress.SamplesPerSecond : null,
        progress.Remaining);

    public static StageProgress Of(LatentProgress progress) => new(
        progress.Fraction,
        string.Create(CultureInfo.InvariantCulture, $"{progress.Stage} ({progress.StageIndex + 1} of {progress.StageCount}){(progress.Skipped ? ", already done" : "")}"));
}

/// <summary>What the progress panel shows of a job at one moment; immutable, so the UI thread reads it safely.</summary>
/// <param name="Stage">Name of the current (or last) stage.</param>
/// <param name="StageNumber">1-based position of <paramref name="Stage"/> among <paramref name="StageCount"/> stages.</param>
/// <param name="RunId">The run being written, once inference has started it.</param>
/// <param name="Message">The error of a failed job, or how a finished one ended.</param>
public sealed record RunJobSnapshot(
    string Description, RunJobStatus Status, string Stage, int StageNumber, int StageCount, StageProgress? Progress, long? RunId, string? Message)
    : IJobSnapshot<RunJobSnapshot>
{
    public bool IsRunning => Status == RunJobStatus.Running;

    public RunJobSnapshot Ended(RunJobStatus status, string? message) => this with { Status = status, Message = message };

    /// <summary>Percent done of the current stage, or null for an indeterminate bar.</summary>
    public double? Percent => Progress is { } p ? Math.Round(100 * p.Fraction, 1) : null;

    public string? RateText => Progress?.ItemsPerSecond is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate:F1} questions/s") : null;

    public string? RemainingText => Progress?.Remaining is { } left ? "ETA " + FormatDuration(left) : null;

    public static string FormatDuration(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours} h {time.Minutes:D2} min")
        : time.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes} min {time.Seconds:D2} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Ceiling(time.TotalSeconds))} s");
}

/// <summary>
/// Runs analyses for the dashboard, one at a time (a run uses every core), on a background thread so no circuit waits
/// on it. A job is a sequence of stages: loading the data, inference (<see cref="AnalysisRunner"/>, which resumes an
/// incomplete equal run) and the latent analysis (<see cref="LatentAnalyzer"/>: maps, clusters, label-error scores,
/// which skips stages already done). Pages subscribe to <see cref="Changed"/> and read <see cref="Current"/>.
/// </summary>
public sealed class RunJobs(RunDatabase database, DatasetCatalog catalog, ILogger<RunJobs> logger) : IDisposable
{
    private readonly BackgroundJob<RunJobSnapshot> _job = new(logger, "A run is already in progress");

    /// <summary>Raised on every progress report and state change, on the job's thread.</summary>
    public event Action? Changed
    {
        add => _job.Changed += value;
        remove => _job.Changed -= value;
    }

    /// <summary>The running job, or the last one with how it ended; null before the first.</summary>
    public RunJobSnapshot? Current => _job.Current;

    /// <summary>The launch of the current or last job: starting it again after a cancel resumes the run.</summary>
    public RunLaunch? LastLaunch { get; private set; }

    /// <summary>Starts <paramref name="launch"/> in the background and returns its task (which never throws).</summary>
    /// <exception cref="InvalidOperationException">A job is already running.</exception>
    public Task Start(RunLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var task = _job.Start(new RunJobSnapshot(launch.Describe(), RunJobStatus.Running, "Starting", 0, 0, null, null, null),
            token => Execute(launch, token), "Cancelled. Finished batches are saved; Resume continues the run where it stopped.");
        LastLaunch = launch;
        return task;
    }

    /// <summary>Asks the running job to stop after its current step; committed batches stay, so starting it again resumes.</summary>
    public void Cancel() => _job.Cancel();

    public void Dispose() => _job.Dispose();

    /// <summary>State shared by the stages of one job.</summary>
    private sealed class JobState(RunLaunch launch)
    {
        public RunLaunch Launch { get; } = launch;
        public AnalysisRequest? Request { get; set; }
        public long? RunId { get; set; }
        public string? Outcome { get; set; }
    }

    private sealed record Stage(string Name, Action<JobState, IProgress<StageProgress>, CancellationToken> Body);

    private IReadOnlyList<Stage> Stages() =>
    [
        new("Loading data", (job, _, token) => job.Request = job.Launch.ToRequest(catalog.DataDirectory, token)),
        new("Inference", (job, progress, token) =>
        {
            var result = AnalysisRunner.Run(database.Connections, job.Request!,
                new SynchronousProgress<AnalysisProgress>(p => progress.Report(StageProgress.Of(p))), token);
            job.RunId = result.RunId;
            job.Outcome = result.Outcome switch
            {
                AnalysisOutcome.AlreadyFinished => "an equal run had already finished, nothing was computed",
                AnalysisOutcome.Resumed => string.Create(CultureInfo.InvariantCulture, $"resumed: {result.BatchesComputed} batches computed, {result.BatchesSkipped} kept"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{result.BatchesComputed} batches computed"),
            };
        }),
        new("Latent analysis", (job, progress, token) =>
        {
            var result = LatentAnalyzer.Run(database.Connections, job.RunId!.Value, new LatentSettings(),
                new SynchronousProgress<LatentProgress>(p => progress.Report(StageProgress.Of(p))), token);
            var computed = result.Stages.Count(s => !s.Skipped);
            job.Outcome += string.Create(CultureInfo.InvariantCulture, $"; latent analysis: {computed} of {result.Stages.Count} stages computed");
        }),
    ];

    private string? Execute(RunLaunch launch, CancellationToken token)
    {
        var job = new JobState(launch);
        var stages = Stages();
        var stageNumber = 0;
        try
        {
            foreach (var stage in stages)
            {
                stageNumber++;
                token.ThrowIfCancellationRequested();
                var number = stageNumber;
                _job.Update(s => s with { Stage = stage.Name, StageNumber = number, StageCount = stages.Count, Progress = null, RunId = job.RunId });
                stage.Body(job, new SynchronousProgress<StageProgress>(p => _job.Update(s => s with { Progress = p, RunId = job.RunId })), token);
            }
        }
        catch (Exception) when (job.RunId is not null)
        {
            // The run exists once inference returned: a job that fails or is cancelled after that still names it.
            _job.Update(s => s with { RunId = job.RunId });
            throw;
        }
        return job.Outcome;
    }
}
