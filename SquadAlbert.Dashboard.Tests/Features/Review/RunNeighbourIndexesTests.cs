using SquadAlbert.Dashboard.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Testing;

namespace SquadAlbert.Dashboard.Tests.Features.Review;

public sealed class RunNeighbourIndexesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("squad-albert-neighbours-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Only_the_indexes_of_the_last_few_runs_used_are_kept()
    {
        var database = new RunDatabase(SquadAlbertSettings.Resolved(new SquadAlbertSettings { Database = "runs.db" }, _folder));
        var runs = Enumerable.Range(1, RunNeighbourIndexes.MaxRuns + 1).Select(seed => SyntheticRun.Create(database.Connections, 10, seed, projected: false)).ToList();
        var indexes = new RunNeighbourIndexes(database);

        var first = indexes.For(runs[0]);
        var again = indexes.For(runs[0]);
        var kept = runs.Skip(1).Select(indexes.For).ToList();
        var reloaded = indexes.For(runs[0]);

        Assert.Same(first, again);
        Assert.NotSame(first, reloaded);
        Assert.Same(kept[^1], indexes.For(runs[^1]));
    }
}
