using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunSummariesTests
{
    [Fact]
    public void Per_split_figures_agree_with_the_rows_and_the_run_figures()
    {
        var database = RunFixture.NewDatabase();
        var dataset = SquadLoader.Load(RunFixture.DataFile);
        var titles = dataset.Examples.Select(e => e.Title).Distinct().ToList();
        Assert.True(titles.Count >= 2, "the fixture needs two titles for two splits");
        var population = PopulationPresets.Custom(
        [
            new SplitRequest("first", dataset.SourcePath, null, [titles[0]]),
            new SplitRequest("rest", dataset.SourcePath, null, [.. titles.Skip(1)]),
        ], _ => dataset);
        var request = new AnalysisRequest(RunFixture.ModelFolder(seed: 1), population, [RunFixture.DataFile], RunFixture.Settings, Threads: 1);
        var runId = AnalysisRunner.Run(database, request).RunId;

        var summary = Assert.Single(RunSummaries.Load(database));

        Assert.Equal(runId, summary.Run.Id);
        Assert.Equal(["first", "rest"], summary.Splits.Select(s => s.Split));
        Assert.Equal(12, summary.SamplesStored);
        foreach (var split in summary.Splits)
        {
            const string where = "FROM samples WHERE run_id = $run AND split = ";
            var quoted = "'" + split.Split + "'";
            Assert.Equal(RunFixture.Scalar<int>(database, "SELECT count(*) " + where + quoted, runId), split.Samples);
            Assert.Equal(RunFixture.Scalar<double>(database, "SELECT 100.0 * avg(exact_match) " + where + quoted, runId), split.ExactMatch, 9);
            Assert.Equal(RunFixture.Scalar<double>(database, "SELECT 100.0 * avg(f1) " + where + quoted, runId), split.F1, 9);
            Assert.Equal(RunFixture.Scalar<double>(database, "SELECT avg(loss) " + where + quoted, runId), split.MeanLoss, 9);
        }
        var weightedLoss = summary.Splits.Sum(s => s.MeanLoss * s.Samples) / summary.SamplesStored;
        Assert.Equal(summary.Run.MeanLoss!.Value, weightedLoss, 9);
    }

    [Fact]
    public void Runs_come_newest_first_and_an_interrupted_run_shows_what_it_stored()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var first = AnalysisRunner.Run(database, RunFixture.Request(model)).RunId;
        using var cancel = new CancellationTokenSource();
        var progress = new StopAfterFirstBatch(cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => AnalysisRunner.Run(database, RunFixture.Request(model, force: true), progress, cancel.Token));

        var summaries = RunSummaries.Load(database);

        Assert.Equal(2, summaries.Count);
        Assert.Equal(first, summaries[1].Run.Id);
        var interrupted = summaries[0];
        Assert.False(interrupted.Run.IsFinished);
        Assert.Equal(3, interrupted.SamplesStored);
        Assert.Equal(12, interrupted.Run.SampleCount);
        Assert.Equal([RunFixture.DataFile], RunSummaries.DataFiles(interrupted.Run));
    }

    [Fact]
    public void An_empty_database_has_no_runs() => Assert.Empty(RunSummaries.Load(RunFixture.NewDatabase()));

    /// <summary>Cancels once the first batch is committed, so the run stays incomplete with 3 of 12 samples.</summary>
    private sealed class StopAfterFirstBatch(CancellationTokenSource cancel) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value)
        {
            if (value.BatchesDone >= 1)
            {
                cancel.Cancel();
            }
        }
    }
}
