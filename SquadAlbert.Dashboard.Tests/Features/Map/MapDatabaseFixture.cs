using SquadAlbert.Dashboard.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Testing;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

/// <summary>A temporary run database with a projected, clustered synthetic run and one that has neither.</summary>
public sealed class MapDatabaseFixture : IDisposable
{
    public const int Samples = 300;

    public MapDatabaseFixture()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "squad-albert-tests", $"dashboard-map-{Guid.NewGuid():N}.db");
        var database = AppSchema.Initialize(Path);
        RunId = SyntheticRun.Create(database, Samples, seed: 5);
        UnprojectedRunId = SyntheticRun.Create(database, 20, seed: 6, projected: false);
        Points = MapPoints.Load(database, RunId);
    }

    public string Path { get; }

    public long RunId { get; }

    public long UnprojectedRunId { get; }

    public MapPoints Points { get; }

    /// <summary>A bUnit context with MudBlazor and the dashboard's run services pointed at this database.</summary>
    /// <param name="interactive">False renders as the server's prerendering does.</param>
    public BunitContext NewContext(bool interactive = true)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var runs = new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = Path }, System.IO.Path.GetTempPath()));
        ctx.Services.AddSingleton(runs);
        ctx.Services.AddSingleton(new MapPointCache(runs, NullLogger<MapPointCache>.Instance));
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: interactive));
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
