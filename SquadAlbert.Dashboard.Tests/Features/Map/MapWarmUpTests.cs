using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SquadAlbert.Dashboard.Hosting;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

public sealed class MapWarmUpTests(MapDatabaseFixture fixture) : IClassFixture<MapDatabaseFixture>
{
    [Fact]
    public async Task Once_the_dashboard_has_started_the_latest_runs_points_are_read_into_the_cache_and_no_other_run()
    {
        var runs = new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = fixture.Path }, Path.GetTempPath()));
        var cache = new MapPointCache(runs, NullLogger<MapPointCache>.Instance);
        using var lifetime = new Lifetime();
        using var warmUp = new MapWarmUp(runs, cache, lifetime, NullLogger<MapWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        // Nothing is read before the dashboard has started.
        await Task.Delay(200);
        Assert.False(cache.Holds(fixture.UnprojectedRunId));

        lifetime.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!cache.Holds(fixture.UnprojectedRunId) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
        await warmUp.StopAsync(CancellationToken.None);

        Assert.Equal(fixture.UnprojectedRunId, warmUp.LatestRunWithSamples());
        Assert.True(cache.Holds(fixture.UnprojectedRunId));
        Assert.False(cache.Holds(fixture.RunId));
    }

    [Fact]
    public async Task A_database_without_runs_is_left_alone()
    {
        var path = Path.Combine(Path.GetTempPath(), "squad-albert-tests", $"dashboard-warmup-{Guid.NewGuid():N}.db");
        var runs = new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = path }, Path.GetTempPath()));
        var cache = new MapPointCache(runs, NullLogger<MapPointCache>.Instance);
        using var lifetime = new Lifetime();
        using var warmUp = new MapWarmUp(runs, cache, lifetime, NullLogger<MapWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        lifetime.Start();
        await warmUp.ExecuteTask!;

        Assert.Null(warmUp.LatestRunWithSamples());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();

        public void StopApplication()
        {
        }

        public void Dispose() => _started.Dispose();
    }
}
