using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// Reads the map points of the latest run with samples into <see cref="MapPointCache"/> once the dashboard has started:
/// the map a user most likely opens first then draws without the server's read of its rows (1.3-1.6 s at 100k samples,
/// 0.25 s at 10k: the map benchmark). Nothing waits for it; a failure is logged, and the page that needs the run reports it.
/// </summary>
public sealed class MapWarmUp(RunDatabase database, MapPointCache cache, IHostApplicationLifetime lifetime, ILogger<MapWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        try
        {
            if (LatestRunWithSamples() is { } runId)
            {
                await cache.GetAsync(runId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reading the latest run's map points at start-up failed; its map page reads them again");
        }
    }

    /// <summary>The latest run (highest id) with at least one sample; null when there is none.</summary>
    public long? LatestRunWithSamples() =>
        database.Runs.All().Where(run => run.SampleCount > 0).Select(run => (long?)run.Id).LastOrDefault();

    private Task WhenStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetResult());
        return started.Task;
    }
}
