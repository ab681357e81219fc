using System.Collections.Concurrent;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// The map points of recently viewed runs, shared by every circuit, so reopening a map (or the cluster pages) does not
/// re-read 100k rows. An entry is reloaded when the run's latent stages change (a projection or clustering that finished
/// after the points were read) or a probe run finishes (the probe fields).
/// </summary>
public sealed class MapPointCache(RunDatabase database, ILogger<MapPointCache> logger)
{
    private const int MaxRuns = 4;

    private readonly ConcurrentDictionary<long, (string Version, Lazy<MapPoints> Points, long LastUse)> _runs = new();
    private long _clock;

    public async Task<MapPoints> GetAsync(long runId) => await Task.Run(() => Get(runId));

    /// <summary>
    /// Starts reading a run's points without waiting for them: a prerendered page sends its HTML at once and the circuit's
    /// page, a moment later, awaits the same load. A failure is the caller's of <see cref="GetAsync"/> to report (the
    /// entry keeps it and throws it again there), so it is only logged here.
    /// </summary>
    public void Prefetch(long runId) => _ = Task.Run(() =>
    {
        try
        {
            Get(runId);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Prefetching the map points of run {RunId} failed; the page reports it", runId);
        }
    });

    private MapPoints Get(long runId)
    {
        var version = Version(runId);
        var use = Interlocked.Increment(ref _clock);
        var entry = _runs.AddOrUpdate(
            runId,
            _ => (version, new Lazy<MapPoints>(() => Load(runId)), use),
            (_, old) => old.Version == version ? old with { LastUse = use } : (version, new Lazy<MapPoints>(() => Load(runId)), use));
        foreach (var stale in _runs.OrderByDescending(r => r.Value.LastUse).Skip(MaxRuns).ToList())
        {
            _runs.TryRemove(stale);
        }
        return entry.Points.Value;
    }

    private MapPoints Load(long runId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var points = MapPoints.Load(database.Connections, runId);
        logger.LogInformation("Map points of run {RunId}: {Count} samples read in {Milliseconds} ms", runId, points.Count, clock.ElapsedMilliseconds);
        return points;
    }

    private string Version(long runId) =>
        new LatentStore(database.Connections).MapVersion(runId) + "|" + new Analysis.WhatIf.Probes.ProbeStore(database.Connections).MapVersion(runId);
}
