using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;

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
        UnprojectedRunId = SyntheticRun.Create(Database, 50, seed: 4);
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE samples SET umap_x = NULL, umap_y = NULL, pca_x = NULL, pca_y = NULL, cluster = NULL, hdbscan_cluster = NULL WHERE run_id = $run; " +
            "DELETE FROM clusters WHERE run_id = $run";
        command.Parameters.AddWithValue("$run", UnprojectedRunId);
        command.ExecuteNonQuery();
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
