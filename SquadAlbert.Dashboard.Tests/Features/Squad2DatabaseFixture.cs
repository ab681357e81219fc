using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Dashboard.Hosting;
using SquadAlbert.Testing;

namespace SquadAlbert.Dashboard.Tests.Features;

/// <summary>A temporary run database with a synthetic SQuAD 2.0 run (every third sample unanswerable, threshold 0;
/// <see cref="SyntheticRun.Create"/>) and a synthetic v1.1 run.</summary>
public sealed class Squad2DatabaseFixture : IDisposable
{
    public const int Samples = 60;
    public const int UnanswerableEvery = 3;

    public Squad2DatabaseFixture()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "squad-albert-tests", $"dashboard-squad2-{Guid.NewGuid():N}.db");
        Database = AppSchema.Initialize(Path);
        RunId = SyntheticRun.Create(Database, Samples, seed: 9, unanswerableEvery: UnanswerableEvery);
        V11RunId = SyntheticRun.Create(Database, 30, seed: 10);
    }

    public string Path { get; }

    public SqliteConnectionFactory Database { get; }

    public long RunId { get; }

    public long V11RunId { get; }

    /// <summary>A bUnit context with MudBlazor and the run, sample and review services pointed at this database.</summary>
    public BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = Path }, System.IO.Path.GetTempPath())));
        ctx.Services.AddSampleReview();
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
