using System.Globalization;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>A row of <c>run_claims</c>: who writes an incomplete run, since when, and when it last said it still does.</summary>
public sealed record RunClaim(long RunId, RunWriter Writer, DateTimeOffset ClaimedAt, DateTimeOffset HeartbeatAt)
{
    /// <summary>How often a writer renews its claim (<see cref="RunClaimHeartbeat"/>).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim holds without a heartbeat. Six missed heartbeats: a writer stalled by a busy machine or a
    /// long write lock keeps its run, while a writer killed on another host (where its process cannot be checked) frees it
    /// within a minute.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    /// <summary>Whether the claim still holds at <paramref name="now"/>: a heartbeat younger than <paramref name="expiry"/>
    /// from a writer whose process may still be running.</summary>
    public bool IsLive(DateTimeOffset now, TimeSpan expiry) =>
        now - HeartbeatAt < expiry && Writer.MayBeRunning;

    /// <summary>The claim in words, for a message to the user who cannot write the run now.</summary>
    public string Describe(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{Writer.Describe()} claimed it at {StoredTime.ToText(ClaimedAt)} (last heartbeat {Math.Max(0, (now - HeartbeatAt).TotalSeconds):F0} s ago)");
}

/// <summary>The run is being written by another writer (another process, or another runner in this one): computing it
/// here too would write its batches twice.</summary>
public sealed class RunBusyException : InputException
{
    public RunBusyException() { }
    public RunBusyException(string message) : base(message) { }
    public RunBusyException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Keeps a writer's claim on a run alive: renews its heartbeat every <see cref="RunClaim.HeartbeatInterval"/> on a timer
/// (a batch or the model's load may take longer than the expiry), and releases the claim when disposed, so a cancelled
/// or failed run can be resumed at once. A killed process never disposes it; its claim lapses (see <see cref="RunClaim"/>).
/// </summary>
public sealed class RunClaimHeartbeat : IDisposable
{
    private readonly RunStore _store;
    private readonly long _runId;
    private readonly RunWriter _writer;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public RunClaimHeartbeat(RunStore store, long runId, RunWriter writer, TimeSpan? interval = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _runId = runId;
        var period = interval ?? RunClaim.HeartbeatInterval;
        _timer = new Timer(_ => Beat(), null, period, period);
    }

    /// <summary>False once a heartbeat found the claim taken by another writer; the next batch write then fails clearly.</summary>
    public bool Held { get; private set; } = true;

    private void Beat()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            try
            {
                Held = _store.Heartbeat(_runId, _writer);
            }
#pragma warning disable CA1031 // A timer callback that throws ends the process; a missed heartbeat only shortens the claim.
            catch (Exception)
#pragma warning restore CA1031
            {
                // The database was busy or unreachable for a moment: the next beat tries again, and the batch writes
                // check the claim themselves.
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _timer.Dispose();
        }
        try
        {
            _store.Release(_runId, _writer);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Dispose runs while an error or a cancellation unwinds; hiding that for a release that failed would be worse
            // than the claim lapsing by itself.
        }
    }
}
