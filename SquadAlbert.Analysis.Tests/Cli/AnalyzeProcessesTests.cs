using System.Diagnostics;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Cli;

/// <summary>
/// <c>squad-albert analyze</c> as separate processes (the CLI built beside the tests) on one database: the second writer of
/// a run stops with a clear message while the first holds it, and <c>kill -9</c> followed by the same command still resumes.
/// </summary>
public sealed class AnalyzeProcessesTests
{
    private static string[] Analyze(string model, string data, string db, int questionsPerBatch) =>
        ["analyze", "--model", model, "--data", data, "--preset", "dev", "--db", db, "--max-seq-length", "64", "--doc-stride", "16",
         "--max-query-length", "16", "--questions-per-batch", questionsPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--threads", "1", "--no-latent"];

    [Fact]
    public async Task Two_processes_started_together_write_one_run()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var model = RunFixture.ModelFolder(seed: 1);
        var args = Analyze(model, RunFixture.DataFile, db, questionsPerBatch: 1);

        var results = await Task.WhenAll(RunToEnd(args), RunToEnd(args));

        var database = AppSchema.Initialize(db);
        var run = Assert.Single(new RunStore(database).All());
        Assert.True(run.IsFinished);
        Assert.Equal(12, new RunStore(database).Batches(run.Id).Count);
        Assert.Contains(results, r => r.Code == 0);
        Assert.All(results, r => Assert.True(
            r.Code == 0 || (r.Code == SquadAlbert.Cli.CliRunner.InputError && r.Error.Contains("is being written by another writer", StringComparison.Ordinal)),
            $"exit {r.Code}: {r.Error}"));
    }

    [Fact]
    public async Task A_second_process_stops_while_the_first_holds_the_run_and_the_same_command_resumes_after_kill_9()
    {
        var model = RunFixture.ModelFolder(seed: 1);
        // Enough questions that the first process is still writing when it is caught (the fixture, 40 times over).
        var data = RepeatedFixture(copies: 40);
        for (var attempt = 0; ; attempt++)
        {
            var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
            var database = AppSchema.Initialize(db);
            var args = Analyze(model, data, db, questionsPerBatch: 4);
            using var first = Start(args);
            var caught = await StopOnceClaimed(first, database);
            if (!caught)
            {
                // It finished before it could be caught; a busier machine makes that less likely, not impossible.
                Assert.True(attempt < 2, "the first process always finished before it was caught writing");
                continue;
            }
            try
            {
                var second = await RunToEnd(args);

                Assert.Equal(SquadAlbert.Cli.CliRunner.InputError, second.Code);
                Assert.Contains("is being written by another writer", second.Error, StringComparison.Ordinal);
                Assert.Contains($"process {first.Id} on {Environment.MachineName}", second.Error, StringComparison.Ordinal);
            }
            finally
            {
                if (!first.HasExited)
                {
                    first.Kill();
                }
                await first.WaitForExitAsync();
            }
            var run = Assert.Single(new RunStore(database).All());
            var kept = new RunStore(database).Batches(run.Id).Count;

            var third = await RunToEnd(args);

            Assert.True(third.Code == 0, third.Error);
            Assert.StartsWith($"run {run.Id} resumed: {run.BatchCount - kept} batches computed, {kept} kept", third.Output, StringComparison.Ordinal);
            var finished = new RunStore(database).Find(run.Id)!;
            Assert.True(finished.IsFinished);
            Assert.Equal(run.BatchCount, new RunStore(database).Batches(run.Id).Count);
            Assert.Equal((long)finished.SampleCount, RunFixture.Scalar<long>(database, "SELECT count(*) FROM samples WHERE run_id = $run", run.Id));
            Assert.Null(new RunStore(database).Claim(run.Id));
            return;
        }
    }

    /// <summary>Waits until <paramref name="process"/> has claimed its run, then stops it (SIGSTOP) so it holds the claim
    /// without finishing; false when it exited first.</summary>
    private static async Task<bool> StopOnceClaimed(Process process, SqliteConnectionFactory database)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
            {
                return false;
            }
            var store = new RunStore(database);
            if (store.All().SingleOrDefault() is { } claimed && store.Claim(claimed.Id) is not null)
            {
                Signal(process, "STOP");
                if (!process.HasExited && store.Find(claimed.Id) is { IsFinished: false })
                {
                    return true;
                }
                if (!process.HasExited)
                {
                    process.Kill();
                }
                await process.WaitForExitAsync();
                return false;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException("the first analyze process never claimed its run");
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static Process Start(string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "squad-albert.dll");
        Assert.True(File.Exists(cli), $"{cli} is not built beside the tests");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    private static async Task<(int Code, string Output, string Error)> RunToEnd(string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The analysis fixture with its articles repeated <paramref name="copies"/> times under new ids and titles.</summary>
    private static string RepeatedFixture(int copies)
    {
        var source = JsonNode.Parse(File.ReadAllText(RunFixture.DataFile))!;
        var data = new JsonArray();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var article in source["data"]!.AsArray())
            {
                var clone = article!.DeepClone();
                clone["title"] = $"{clone["title"]!.GetValue<string>()} {copy}";
                foreach (var qa in clone["paragraphs"]!.AsArray().SelectMany(p => p!["qas"]!.AsArray()))
                {
                    qa!["id"] = $"{qa["id"]!.GetValue<string>()}-{copy}";
                }
                data.Add(clone);
            }
        }
        var path = Path.Combine(TinyEncoders.TempDirectory(), "repeated-v1.1.json");
        File.WriteAllText(path, new JsonObject { ["version"] = "1.1", ["data"] = data }.ToJsonString());
        return path;
    }
}
