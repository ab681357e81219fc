using SquadAlbert.Analysis;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>What <see cref="BackgroundJob{TSnapshot}"/> needs of a job's snapshot.</summary>
public interface IJobSnapshot<out TSelf>
{
    string Description { get; }

    RunJobStatus Status { get; }

    /// <summary>This snapshot, the job ended with <paramref name="status"/>; <paramref name="message"/> says how.</summary>
    TSelf Ended(RunJobStatus status, string? message);
}

/// <summary>
/// One background job at a time for the dashboard (a job uses every core), on a thread of its own so no circuit waits on
/// it: the start guard, cancellation, the current snapshot behind a lock and how a job ends (finished, cancelled, failed
/// with an input error's message, or failed unexpectedly and logged). <see cref="RunJobs"/> and the probe jobs hold one.
/// Pages subscribe to <see cref="Changed"/> and read <see cref="Current"/>.
/// </summary>
/// <param name="busy">Starts the error when a job is already running, e.g. "A run is already in progress".</param>
public sealed class BackgroundJob<TSnapshot>(ILogger logger, string busy) : IDisposable
    where TSnapshot : class, IJobSnapshot<TSnapshot>
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private TSnapshot? _current;

    /// <summary>Raised on every update and state change, on the job's thread.</summary>
    public event Action? Changed;

    /// <summary>The running job, or the last one with how it ended; null before the first.</summary>
    public TSnapshot? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Starts <paramref name="body"/> in the background from the <paramref name="initial"/> snapshot and returns its
    /// task, which never throws. The body updates the snapshot through <see cref="Update"/> and returns the finished job's
    /// message.</summary>
    /// <param name="cancelled">The message of a cancelled job.</param>
    /// <exception cref="InvalidOperationException">A job is already running.</exception>
    public Task Start(TSnapshot initial, Func<CancellationToken, string?> body, string cancelled)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(body);
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (_current is { Status: RunJobStatus.Running })
            {
                throw new InvalidOperationException($"{busy} ({_current.Description}); cancel it or wait until it ends.");
            }
            _cancel?.Dispose();
            _cancel = cancel = new CancellationTokenSource();
            _current = initial;
        }
        Changed?.Invoke();
        return Task.Run(() => Execute(body, cancelled, cancel.Token), CancellationToken.None);
    }

    /// <summary>Asks the running job to stop at its next cancellation check.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (_current is { Status: RunJobStatus.Running })
            {
                _cancel?.Cancel();
            }
        }
    }

    /// <summary>Replaces the current snapshot by <paramref name="change"/> of it and raises <see cref="Changed"/>.</summary>
    public void Update(Func<TSnapshot, TSnapshot> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _current = change(_current!);
        }
        Changed?.Invoke();
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

    private void Execute(Func<CancellationToken, string?> body, string cancelled, CancellationToken token)
    {
        try
        {
            var message = body(token);
            Update(s => s.Ended(RunJobStatus.Finished, message));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Update(s => s.Ended(RunJobStatus.Cancelled, cancelled));
        }
        catch (InputException e)
        {
            Update(s => s.Ended(RunJobStatus.Failed, e.Message));
        }
#pragma warning disable CA1031 // A background job must report every failure on the page instead of dying unobserved.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Background job '{Description}' failed", Current?.Description);
            Update(s => s.Ended(RunJobStatus.Failed, $"{e.GetType().Name}: {e.Message}"));
        }
    }
}

/// <summary>Reports synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts and may reorder).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
