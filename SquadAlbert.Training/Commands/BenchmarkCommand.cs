using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary><c>benchmark</c>: seconds per training step on full-length synthetic windows (no data needed).</summary>
public static class BenchmarkCommand
{
    public static Command Create()
    {
        var model = new ModelSizeOptions();
        var vocab = new Option<int>("--vocab-size") { DefaultValueFactory = _ => 30000, Description = "Vocabulary size." };
        var seqLength = new Option<int>("--seq-length") { DefaultValueFactory = _ => 256, Description = "Tokens per window (all windows full)." };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 16, Description = "Windows per step." };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 5, Description = "Timed steps (after one warm-up step)." };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2, Description = "Torch CPU threads." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto", Description = $"Where to train: {TrainingDevice.Names}." };
        var command = new Command("benchmark", "Measure seconds per optimizer step of the configured model on synthetic full-length batches.")
        {
            vocab, seqLength, batch, steps, threads, device,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var trainingDevice = TrainingDevice.Resolve(parse.GetValue(device)!);
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var config = model.Config(parse, parse.GetValue(vocab));
            var windows = SyntheticWindows(parse.GetValue(batch), parse.GetValue(seqLength), config.Architecture.VocabSize);
            var scratch = Directory.CreateTempSubdirectory("squad-albert-benchmark");
            try
            {
                var options = new TrainingOptions(BatchSize: windows.Length, MaxSteps: parse.GetValue(steps) + 1);
                using var trainer = new QaTrainer(config, options, windows, new TrainingCheckpoints(scratch.FullName), device: trainingDevice);
                trainer.Model.train();
                trainer.Step(windows, 1e-4);
                // CPU time next to wall time: on a shared machine wall time mostly measures the neighbours.
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < parse.GetValue(steps); i++)
                {
                    // Step reads the loss back to the host, so GPU work is finished when the clock stops.
                    trainer.Step(windows, 1e-4);
                }
                var perStep = clock.Elapsed.TotalSeconds / parse.GetValue(steps);
                process.Refresh();
                var cpuPerStep = (process.TotalProcessorTime - cpuBefore).TotalSeconds / parse.GetValue(steps);
                var parameters = trainer.Model.parameters().Sum(p => p.numel());
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{parameters:N0} parameters, batch {windows.Length} × {parse.GetValue(seqLength)} tokens, {trainingDevice.type}, {TorchSharp.torch.get_num_threads()} threads: {perStep:F2} s/step wall ({windows.Length / perStep:F1} windows/s), {cpuPerStep:F2} CPU-s/step, load average {LoadAverage()}"));
            }
            finally
            {
                scratch.Delete(recursive: true);
            }
            return 0;
        });
        return command;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>Full-length windows of random ids with an answer span inside the context.</summary>
    public static QaWindow[] SyntheticWindows(int count, int length, int vocabularySize)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(i =>
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(5, vocabularySize)).ToArray();
            var types = Enumerable.Range(0, length).Select(t => t < length / 4 ? 0 : 1).ToArray();
            var start = random.Next(length / 4 + 1, length - 4);
            return new QaWindow(i, $"synthetic-{i}", 0, ids, types, new TokenSource[length], new CharSpan[length], start, start + 2);
        }).ToArray();
    }
}
