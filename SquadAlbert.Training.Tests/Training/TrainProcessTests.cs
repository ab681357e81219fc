using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SquadAlbert.Training.Tests.Training;

/// <summary><c>squad-albert-train train</c> as its own process (the trainer built beside the tests): a SIGTERM or Ctrl-C
/// stops it after the current step with a checkpoint, and the same command resumes from it.</summary>
public sealed class TrainProcessTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_termination_signal_stops_training_with_a_checkpoint_that_the_same_command_resumes(string signal)
    {
        var folder = Directory.CreateTempSubdirectory("squad-albert-train-signal-").FullName;
        var data = WriteTinySquad(Path.Combine(folder, "squad"), questions: 24);
        var runDir = Path.Combine(folder, "run");
        string[] args =
        [
            "train", "--run-dir", runDir, "--data", data, "--tokenizer", BuildFacts.TokenizerModel,
            "--embedding-size", "8", "--hidden-size", "16", "--layers", "1", "--heads", "2", "--intermediate-size", "16",
            "--max-positions", "64", "--seq-length", "48", "--doc-stride", "16", "--max-query-length", "16",
            "--batch-size", "4", "--epochs", "100000", "--eval-every", "100000000", "--eval-questions", "4",
            "--checkpoint-minutes", "1000", "--threads", "1",
        ];

        using var first = Start(args);
        await WaitForLine(first, line => line.StartsWith("step ", StringComparison.Ordinal));
        Signal(first, signal);
        var rest = await first.StandardOutput.ReadToEndAsync();
        await first.WaitForExitAsync();

        var stopped = rest.Split('\n').Single(l => l.StartsWith("stopped at step ", StringComparison.Ordinal));
        var step = int.Parse(stopped.Split(' ')[3], CultureInfo.InvariantCulture);
        var checkpoint = Assert.Single(Directory.GetDirectories(Path.Combine(runDir, "checkpoints")));
        Assert.Equal($"step-{step:D8}", Path.GetFileName(checkpoint));

        // How long a run trains is not one of its settings: the same command with a time limit resumes it.
        using var second = Start([.. args, "--stop-after-minutes", "0.02"]);
        var resumed = await second.StandardOutput.ReadToEndAsync();
        await second.WaitForExitAsync();

        Assert.True(second.ExitCode == 0, await second.StandardError.ReadToEndAsync());
        Assert.Contains($"resumed at step {step} ", resumed, StringComparison.Ordinal);
        var stoppedAgain = resumed.Split('\n').Single(l => l.StartsWith("stopped at step ", StringComparison.Ordinal));
        Assert.True(int.Parse(stoppedAgain.Split(' ')[3], CultureInfo.InvariantCulture) > step, stoppedAgain);
    }

    /// <summary>A SQuAD folder (train and dev v1.1 layout) of short synthetic paragraphs, each question answerable in its context.</summary>
    private static string WriteTinySquad(string folder, int questions)
    {
        Directory.CreateDirectory(folder);
        string[] towns = ["Alder", "Birch", "Cedar", "Dunmore", "Elmwood", "Fairview"];
        var paragraphs = Enumerable.Range(0, questions).Select(i =>
        {
            var town = towns[i % towns.Length];
            var year = 1800 + (i * 7);
            var context = $"The river number {i} flows past the town of {town}, which was founded in {year} by farmers.";
            var answer = year.ToString(CultureInfo.InvariantCulture);
            return new
            {
                context,
                qas = new[]
                {
                    new { id = $"q{i}", question = $"When was the town on river number {i} founded?", answers = new[] { new { text = answer, answer_start = context.IndexOf(answer, StringComparison.Ordinal) } } },
                },
            };
        }).ToArray();
        var squad = new { version = "1.1", data = new[] { new { title = "Rivers", paragraphs } } };
        var json = JsonSerializer.Serialize(squad);
        File.WriteAllText(Path.Combine(folder, "train-v1.1.json"), json);
        File.WriteAllText(Path.Combine(folder, "dev-v1.1.json"), json);
        return folder;
    }

    private static Process Start(string[] args)
    {
        var trainer = Path.Combine(AppContext.BaseDirectory, "squad-albert-train.dll");
        Assert.True(File.Exists(trainer), $"{trainer} is not built beside the tests");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(trainer);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    private static async Task WaitForLine(Process process, Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (wanted(line))
            {
                return;
            }
        }
        Assert.Fail($"the trainer exited ({(process.WaitForExit(10_000) ? process.ExitCode : -1)}) before the line came: {await process.StandardError.ReadToEndAsync()}");
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
