using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Analysis.WhatIf.Probes;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Probes;

/// <summary>What the probes page shows of a probe job at one moment; immutable, so the UI thread reads it safely.</summary>
/// <param name="Progress">The last report; null before the first.</param>
/// <param name="Message">The error of a failed job, or how it ended.</param>
public sealed record ProbeJobSnapshot(long RunId, string Description, RunJobStatus Status, ProbeProgress? Progress, string? Message)
{
    public bool IsRunning => Status == RunJobStatus.Running;

    public double? Percent => Progress is { } p ? Math.Round(100 * p.Fraction, 1) : null;

    /// <summary>E.g. "probe 2 of 4, wh-swap: 30 of 64 samples · 12.3 examples/s".</summary>
    public string? Detail => Progress is { } p
        ? string.Create(CultureInfo.InvariantCulture,
            $"probe {p.ProbeNumber} of {p.ProbeCount}, {p.Probe.Label()}: {p.Done:N0} of {p.Total:N0} samples · {p.ExamplesPerSecond:F1} examples/s")
        : null;
}

/// <summary>
/// Runs probe jobs for the dashboard, one at a time (the reader uses every core), on a background thread, as
/// <see cref="RunJobs"/> runs analyses: <see cref="ProbeRunner"/> with the shared <see cref="WhatIfReader"/> (its loaded
/// pipelines serve the sample page's edits too). Finished batches are stored, so starting the same job again resumes it.
/// </summary>
public sealed class ProbeJobs(RunDatabase database, WhatIfReader reader, ILogger<ProbeJobs> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private ProbeJobSnapshot? _current;

    /// <summary>Raised on every progress report and state change, on the job's thread.</summary>
    public event Action? Changed;

    /// <summary>The running job, or the last one with how it ended; null before the first.</summary>
    public ProbeJobSnapshot? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Starts <paramref name="request"/> in the background and returns its task (which never throws).</summary>
    /// <exception cref="InvalidOperationException">A probe job is already running.</exception>
    public Task Start(ProbeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CancellationTokenSource cancel;
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{string.Join(", ", request.Probes.Select(p => p.Label()))} over {request.Slice.Description} of run {request.RunId}, seed {request.Seed}");
        lock (_gate)
        {
            if (_current is { IsRunning: true })
            {
                throw new InvalidOperationException($"Probes are already running ({_current.Description}); cancel them or wait until they end.");
            }
            _cancel?.Dispose();
            _cancel = cancel = new CancellationTokenSource();
            _current = new ProbeJobSnapshot(request.RunId, description, RunJobStatus.Running, null, null);
        }
        Changed?.Invoke();
        return Task.Run(() => Execute(request, cancel.Token), CancellationToken.None);
    }

    /// <summary>Asks the running job to stop after its current batch.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (_current is { IsRunning: true })
            {
                _cancel?.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _cancel?.Cancel();
            _cancel?.Dispose();
            _cancel = null;
        }
    }

    private void Execute(ProbeRequest request, CancellationToken token)
    {
        try
        {
            var finished = ProbeRunner.Run(database.Connections, reader, request, new Reporter(p => Update(s => s with { Progress = p })), token);
            var flips = string.Join("; ", finished.Select(f => string.Create(CultureInfo.InvariantCulture,
                $"{f.Probe.Label()} {f.FlipCount} of {f.ApplicableCount} flipped")));
            Update(s => s with { Status = RunJobStatus.Finished, Message = $"Finished: {flips}." });
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Update(s => s with { Status = RunJobStatus.Cancelled, Message = "Cancelled. Finished batches are saved; starting the same probes again resumes them." });
        }
        catch (InputException e)
        {
            Update(s => s with { Status = RunJobStatus.Failed, Message = e.Message });
        }
#pragma warning disable CA1031 // A background job must report every failure on the page instead of dying unobserved.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Probe job on run {RunId} failed", request.RunId);
            Update(s => s with { Status = RunJobStatus.Failed, Message = $"{e.GetType().Name}: {e.Message}" });
        }
    }

    private void Update(Func<ProbeJobSnapshot, ProbeJobSnapshot> change)
    {
        lock (_gate)
        {
            _current = change(_current!);
        }
        Changed?.Invoke();
    }

    /// <summary>Reports synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts and may reorder).</summary>
    private sealed class Reporter(Action<ProbeProgress> report) : IProgress<ProbeProgress>
    {
        public void Report(ProbeProgress value) => report(value);
    }
}
