using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Exploration;

/// <summary>A temporary database with a projected synthetic run and an unprojected copy of the same kind of run.</summary>
public sealed class SyntheticMapDatabase : IDisposable
{
    public const int Samples = 600;

    public SyntheticMapDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "squad-albert-tests", $"map-{Guid.NewGuid():N}.db");
        Database = AppSchema.Initialize(Path);
        RunId = SyntheticRun.Create(Database, Samples, seed: 3);
        UnprojectedRunId = SyntheticRun.Create(Database, 50, seed: 4, projected: false);
        Points = MapPoints.Load(Database, RunId);
    }

    public string Path { get; }

    public SqliteConnectionFactory Database { get; }

    public long RunId { get; }

    public long UnprojectedRunId { get; }

    public MapPoints Points { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
