using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

public sealed class RunJobsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_job_runs_every_stage_reports_progress_and_finishes_with_its_run()
    {
        var jobs = _workspace.Jobs;
        var seen = new List<RunJobSnapshot>();
        jobs.Changed += () => { lock (seen) seen.Add(jobs.Current!); };

        await jobs.Start(_workspace.DevLaunch()).WaitAsync(Patience);

        var done = jobs.Current!;
        Assert.Equal(RunJobStatus.Finished, done.Status);
        var run = _workspace.Database.Runs.Find(done.RunId!.Value)!;
        Assert.True(run.IsFinished);
        Assert.Equal(12, run.SampleCount);
        lock (seen)
        {
            Assert.Contains(seen, s => s.Stage == "Loading data");
            var inference = seen.Where(s => s.IsRunning && s.Stage == "Inference" && s.Progress is not null).ToList();
            Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], inference.Select(s => s.Progress!.Value.Fraction));
            Assert.NotNull(inference[^1].RateText);
        }
        Assert.Equal(done.StageCount, done.StageNumber);
        Assert.Equal("Latent analysis", done.Stage);
        Assert.Contains("latent analysis: 5 of 5 stages computed", done.Message, StringComparison.Ordinal);
        Assert.True(RunSlices.Compute(_workspace.Database.Connections, done.RunId.Value).HasClusters);
    }

    [Fact]
    public async Task Cancel_stops_after_a_batch_and_starting_again_resumes_the_run()
    {
        var jobs = _workspace.Jobs;
        jobs.Changed += () =>
        {
            if (jobs.Current is { IsRunning: true, Progress.Fraction: > 0 })
            {
                jobs.Cancel();
            }
        };

        await jobs.Start(_workspace.DevLaunch()).WaitAsync(Patience);

        var cancelled = jobs.Current!;
        Assert.Equal(RunJobStatus.Cancelled, cancelled.Status);
        var partial = RunSummaries.Load(_workspace.Database.Connections).Single();
        Assert.False(partial.Run.IsFinished);
        Assert.InRange(partial.SamplesStored, 3, 9);

        var resumed = new RunJobs(_workspace.Database, _workspace.Catalog, Microsoft.Extensions.Logging.Abstractions.NullLogger<RunJobs>.Instance);
        await resumed.Start(jobs.LastLaunch!).WaitAsync(Patience);

        Assert.Equal(RunJobStatus.Finished, resumed.Current!.Status);
        Assert.Equal(partial.Run.Id, resumed.Current.RunId);
        Assert.StartsWith("resumed", resumed.Current.Message, StringComparison.Ordinal);
        Assert.True(_workspace.Database.Runs.Find(partial.Run.Id)!.IsFinished);
    }

    [Fact]
    public async Task A_missing_model_fails_with_a_message_naming_the_folder_and_the_setting()
    {
        var launch = _workspace.DevLaunch() with { ModelFolder = Path.Combine(_workspace.Folder, "no-model") };

        await _workspace.Jobs.Start(launch).WaitAsync(Patience);

        var failed = _workspace.Jobs.Current!;
        Assert.Equal(RunJobStatus.Failed, failed.Status);
        Assert.Contains("no-model", failed.Message, StringComparison.Ordinal);
        Assert.Contains("SQUADALBERT_MODEL", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_squad_fails_with_its_name()
    {
        File.WriteAllText(Path.Combine(_workspace.DataFolder, "broken.json"), "[1, 2]");

        await _workspace.Jobs.Start(_workspace.DevLaunch() with { Population = new PopulationRequest("dev", "broken.json") }).WaitAsync(Patience);

        Assert.Equal(RunJobStatus.Failed, _workspace.Jobs.Current!.Status);
        Assert.Contains("broken.json", _workspace.Jobs.Current.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_one_job_runs_at_a_time()
    {
        var gate = new ManualResetEventSlim();
        var jobs = _workspace.Jobs;
        jobs.Changed += () =>
        {
            if (jobs.Current is { IsRunning: true, Stage: "Inference" })
            {
                gate.Wait(Patience);
            }
        };
        var first = jobs.Start(_workspace.DevLaunch());
        var error = Assert.Throws<InvalidOperationException>(() => { _ = jobs.Start(_workspace.DevLaunch()); });
        Assert.Contains("already in progress", error.Message, StringComparison.Ordinal);
        gate.Set();
        await first.WaitAsync(Patience);
        Assert.Equal(RunJobStatus.Finished, jobs.Current!.Status);
    }
}
