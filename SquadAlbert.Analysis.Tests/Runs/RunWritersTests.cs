using System.Diagnostics;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Runs;

/// <summary>One writer per run, in one process: two runners of the same run, claims left by killed or remote writers,
/// and a writer whose claim was taken over.</summary>
public sealed class RunWritersTests
{
    [Fact]
    public async Task A_second_runner_of_the_same_run_stops_with_a_clear_message_while_the_first_writes_it()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        using var claimed = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        // The first report comes once the run is claimed and before its first batch: the first runner holds it there.
        var holdAtStart = SynchronousProgress.Create(p =>
        {
            if (p.BatchesDone == 0)
            {
                claimed.Set();
                resume.Wait(TimeSpan.FromMinutes(2));
            }
        });
        var first = Task.Run(() => AnalysisRunner.Run(database, RunFixture.Request(model), holdAtStart));
        Assert.True(claimed.Wait(TimeSpan.FromMinutes(2)), "the first runner never claimed the run");

        var error = Assert.Throws<RunBusyException>(() => AnalysisRunner.Run(database, RunFixture.Request(model)));
        resume.Set();
        var result = await first;
        var again = AnalysisRunner.Run(database, RunFixture.Request(model));

        Assert.Contains("is being written by another writer", error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", error.Message, StringComparison.Ordinal);
        Assert.Contains(database.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Equal((AnalysisOutcome.Computed, 4), (result.Outcome, result.BatchesComputed));
        Assert.Equal((result.RunId, AnalysisOutcome.AlreadyFinished), (again.RunId, again.Outcome));
        Assert.Single(new RunStore(database).All());
        Assert.Null(new RunStore(database).Claim(result.RunId));
        Assert.Equal(12L, RunFixture.Scalar<long>(database, "SELECT count(*) FROM samples WHERE run_id = $run", result.RunId));
    }

    [Fact]
    public async Task Runners_started_together_write_one_run()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        using var barrier = new Barrier(3);
        var runners = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            barrier.SignalAndWait();
            try
            {
                return (Result: AnalysisRunner.Run(database, RunFixture.Request(model)), Busy: (RunBusyException?)null);
            }
            catch (RunBusyException e)
            {
                return (Result: (AnalysisResult?)null, Busy: e);
            }
        })).ToArray();

        var outcomes = await Task.WhenAll(runners);

        var run = Assert.Single(new RunStore(database).All());
        Assert.True(run.IsFinished);
        Assert.Contains(outcomes, o => o.Result is { Outcome: AnalysisOutcome.Computed });
        Assert.All(outcomes, o => Assert.True(o.Result?.RunId == run.Id || o.Busy is not null));
        Assert.Equal(4L, RunFixture.Scalar<long>(database, "SELECT count(*) FROM run_batches WHERE run_id = $run", run.Id));
        var reference = RunFixture.NewDatabase();
        Assert.Equal(RunFixture.Rows(reference, AnalysisRunner.Run(reference, RunFixture.Request(model)).RunId), RunFixture.Rows(database, run.Id));
    }

    [Fact]
    public void A_claim_whose_process_is_gone_is_taken_over_at_once()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var dead = new RunWriter("killed", Environment.MachineName, ExitedProcessId(), "1");
        var started = new RunStore(database).BeginWriting(NewRunOf(model), force: false, dead);

        var resumed = AnalysisRunner.Run(database, RunFixture.Request(model));

        Assert.True(started.Created);
        Assert.False(dead.MayBeRunning);
        Assert.Equal((started.Run.Id, AnalysisOutcome.Resumed, 4), (resumed.RunId, resumed.Outcome, resumed.BatchesComputed));
        Assert.True(new RunStore(database).Find(started.Run.Id)!.IsFinished);
    }

    [Fact]
    public void A_claim_of_a_process_id_that_now_names_another_process_is_stale()
    {
        var self = RunWriter.ForThisProcess();
        var reused = self with { ProcessStart = self.ProcessStart + "0" };

        Assert.True(self.MayBeRunning);
        Assert.False(reused.MayBeRunning);
    }

    [Fact]
    public void A_claim_from_another_host_holds_until_its_heartbeat_is_older_than_the_expiry()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var remote = new RunWriter("remote", "another-host", 4242, "7");
        var started = new RunStore(database).BeginWriting(NewRunOf(model), force: false, remote);

        var busy = Assert.Throws<RunBusyException>(() => AnalysisRunner.Run(database, RunFixture.Request(model)));
        Age(database, started.Run.Id, RunClaim.Expiry + TimeSpan.FromSeconds(1));
        var resumed = AnalysisRunner.Run(database, RunFixture.Request(model));

        Assert.Contains("process 4242 on another-host", busy.Message, StringComparison.Ordinal);
        Assert.Equal((started.Run.Id, AnalysisOutcome.Resumed), (resumed.RunId, resumed.Outcome));
    }

    [Fact]
    public void A_writer_stopped_while_it_holds_the_write_lock_is_reported_at_once()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var stopped = new RunWriter("stopped", "another-host", 4242, "7");
        new RunStore(database).BeginWriting(NewRunOf(model), force: false, stopped);
        using var holder = database.Open();
        using var midBatch = holder.BeginTransaction(deferred: false);
        // Within a one-second busy timeout, any statement that needs the write lock fails: only the lock-free check can answer.
        var impatient = new SqliteConnectionFactory(database.DatabasePath, TimeSpan.FromSeconds(1));

        var busy = Assert.Throws<RunBusyException>(() => AnalysisRunner.Run(impatient, RunFixture.Request(model)));

        Assert.Contains("process 4242 on another-host", busy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_whose_claim_was_taken_over_writes_nothing_more()
    {
        var database = RunFixture.NewDatabase();
        var store = new RunStore(database);
        var model = RunFixture.ModelFolder(seed: 1);
        var stalled = new RunWriter("stalled", "another-host", 1, "1");
        var successor = RunWriter.ForThisProcess();
        var runId = store.BeginWriting(NewRunOf(model), force: false, stalled).Run.Id;
        Age(database, runId, RunClaim.Expiry + TimeSpan.FromSeconds(1));

        var takeover = store.BeginWriting(NewRunOf(model), force: false, successor);
        var error = Assert.Throws<RunBusyException>(() => store.WriteBatch(runId, new RunBatch(0, 0, 0, 0, 0), [], stalled));
        var finishError = Assert.Throws<RunBusyException>(() => store.Finish(runId, stalled));

        Assert.Equal((runId, false), (takeover.Run.Id, takeover.Created));
        Assert.Contains("was taken over by another writer", error.Message, StringComparison.Ordinal);
        Assert.Contains("was taken over by another writer", finishError.Message, StringComparison.Ordinal);
        Assert.Empty(store.Batches(runId));
        Assert.True(store.WriteBatch(runId, new RunBatch(0, 0, 0, 0, 0), [], successor));
        Assert.False(store.WriteBatch(runId, new RunBatch(0, 0, 0, 0, 0), [], successor));
        Assert.Equal(successor.WriterId, store.Claim(runId)!.Writer.WriterId);
    }

    [Fact]
    public void The_heartbeat_renews_the_claim_and_disposing_it_releases_the_run()
    {
        var database = RunFixture.NewDatabase();
        var store = new RunStore(database);
        var writer = RunWriter.ForThisProcess();
        var runId = store.BeginWriting(NewRunOf(RunFixture.ModelFolder(seed: 1)), force: false, writer).Run.Id;
        Age(database, runId, TimeSpan.FromMinutes(5));
        var aged = store.Claim(runId)!.HeartbeatAt;

        using (new RunClaimHeartbeat(store, runId, writer, TimeSpan.FromMilliseconds(20)))
        {
            var clock = Stopwatch.StartNew();
            while (store.Claim(runId)!.HeartbeatAt == aged && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                Thread.Sleep(20);
            }
            Assert.NotEqual(aged, store.Claim(runId)!.HeartbeatAt);
            Assert.True(store.Claim(runId)!.IsLive(DateTimeOffset.UtcNow, RunClaim.Expiry));
        }

        Assert.Null(store.Claim(runId));
    }

    [Fact]
    public void A_cancelled_run_releases_its_claim_so_it_resumes_at_once()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var cancelAfterOne = SynchronousProgress.Create(p =>
        {
            if (p.BatchesDone == 1)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => AnalysisRunner.Run(database, RunFixture.Request(model), cancelAfterOne, cancellation.Token));
        var run = Assert.Single(new RunStore(database).All());
        var claim = new RunStore(database).Claim(run.Id);
        var resumed = AnalysisRunner.Run(database, RunFixture.Request(model));

        Assert.Null(claim);
        Assert.Equal((run.Id, AnalysisOutcome.Resumed, 3), (resumed.RunId, resumed.Outcome, resumed.BatchesComputed));
    }

    /// <summary>The run <see cref="AnalysisRunner"/> would create for <see cref="RunFixture.Request"/>.</summary>
    internal static NewRun NewRunOf(string model)
    {
        var request = RunFixture.Request(model);
        var sha = Analysis.Model.ModelFingerprint.Sha256(model);
        return new NewRun(AnalysisRunner.RunKey(sha, request.Settings.ToJson(), request.Population), Path.GetFullPath(model), sha, [],
            request.Population.Preset, request.Population.Description, request.Settings.ToJson(), request.Population.Members.Count, BatchCount: 4);
    }

    /// <summary>Moves the run's heartbeat into the past, as if its writer had stopped renewing it that long ago.</summary>
    private static void Age(SqliteConnectionFactory database, long runId, TimeSpan age)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE run_claims SET heartbeat_at = $at WHERE run_id = $run";
        command.Parameters.AddWithValue("$at", StoredTime.ToText(DateTimeOffset.UtcNow - age));
        command.Parameters.AddWithValue("$run", runId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    /// <summary>The id of a process that has exited (and been reaped).</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
