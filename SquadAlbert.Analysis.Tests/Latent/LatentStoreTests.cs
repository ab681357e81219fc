using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Latent;

public sealed class LatentStoreTests
{
    [Fact]
    public void The_map_version_changes_when_the_run_finishes_and_when_a_stage_finishes_again()
    {
        var database = RunFixture.NewDatabase();
        var runs = new RunStore(database);
        var store = new LatentStore(database);
        var runId = runs.CreateRun(new NewRun("key", "model", "sha", [], "dev", "dev", "{}", SampleCount: 0, BatchCount: 0));

        Assert.Equal("|", store.MapVersion(runId));
        runs.Finish(runId);
        var finished = StoredTime.ToText(runs.Find(runId)!.FinishedAt!.Value);
        Assert.Equal(finished + "|", store.MapVersion(runId));

        var first = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero);
        store.CommitStage(runId, LatentStages.Umap, "{}", "{}", first, (_, _) => { });
        Assert.Equal($"{finished}|umap2026-01-02T03:04:05.006Z", store.MapVersion(runId));
        Assert.Equal(first, store.Stages(runId)[LatentStages.Umap].FinishedAt);

        store.CommitStage(runId, LatentStages.Umap, "{}", "{}", first.AddSeconds(1), (_, _) => { });
        Assert.Equal($"{finished}|umap2026-01-02T03:04:06.006Z", store.MapVersion(runId));
        Assert.Equal("|", store.MapVersion(runId + 1));
    }
}
