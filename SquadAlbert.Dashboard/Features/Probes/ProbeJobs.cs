using System.Globalization;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Analysis.WhatIf.Probes;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Probes;

/// <summary>What the probes page shows of a probe job at one moment; immutable, so the UI thread reads it safely.</summary>
/// <param name="Progress">The last report; null before the first.</param>
/// <param name="Message">The error of a failed job, or how it ended.</param>
public sealed record ProbeJobSnapshot(long RunId, string Description, RunJobStatus Status, ProbeProgress? Progress, string? Message)
    : IJobSnapshot<ProbeJobSnapshot>
{
    public bool IsRunning => Status == RunJobStatus.Running;

    public ProbeJobSnapshot Ended(RunJobStatus status, string? message) => this with { Status = status, Message = message };

    public double? Percent => Progress is { } p ? Math.Round(100 * p.Fraction, 1) : null;

    /// <summary>E.g. "probe 2 of 4, wh-swap: 30 of 64 samples · 12.3 examples/s".</summary>
    public string? Detail => Progress is { } p
        ? string.Create(CultureInfo.InvariantCulture,
            $"probe {p.ProbeNumber} of {p.ProbeCount}, {p.Probe.Label()}: {p.Done:N0} of {p.Total:N0} samples · {p.ExamplesPerSecond:F1} examples/s")
        : null;
}

/// <summary>
/// Runs probe jobs for the dashboard, one at a time (the reader uses every core), in the background like
/// <see cref="RunJobs"/> (<see cref="BackgroundJob{TSnapshot}"/>): <see cref="ProbeRunner"/> with the shared
/// <see cref="WhatIfReader"/> (its loaded pipelines serve the sample page's edits too). Finished batches are stored, so
/// starting the same job again resumes it.
/// </summary>
public sealed class ProbeJobs(RunDatabase database, WhatIfReader reader, ILogger<ProbeJobs> logger) : IDisposable
{
    private readonly BackgroundJob<ProbeJobSnapshot> _job = new(logger, "A probe job is already running");

    /// <summary>Raised on every progress report and state change, on the job's thread.</summary>
    public event Action? Changed
    {
        add => _job.Changed += value;
        remove => _job.Changed -= value;
    }

    /// <summary>The running job, or the last one with how it ended; null before the first.</summary>
    public ProbeJobSnapshot? Current => _job.Current;

    /// <summary>Starts <paramref name="request"/> in the background and returns its task (which never throws).</summary>
    /// <exception cref="InvalidOperationException">A probe job is already running.</exception>
    public Task Start(ProbeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(", ", request.Probes.Select(p => p.Label()))} over {request.Slice.Description} of run {request.RunId}, seed {request.Seed}");
        return _job.Start(new ProbeJobSnapshot(request.RunId, description, RunJobStatus.Running, null, null), token =>
            {
                var finished = ProbeRunner.Run(database.Connections, reader, request,
                    new SynchronousProgress<ProbeProgress>(p => _job.Update(s => s with { Progress = p })), token);
                var flips = string.Join("; ", finished.Select(f => string.Create(CultureInfo.InvariantCulture,
                    $"{f.Probe.Label()} {f.FlipCount} of {f.ApplicableCount} flipped")));
                return $"Finished: {flips}.";
            },
            "Cancelled. Finished batches are saved; starting the same probes again resumes them.");
    }

    /// <summary>Asks the running job to stop after its current batch.</summary>
    public void Cancel() => _job.Cancel();

    public void Dispose() => _job.Dispose();
}
