using System.Text.Json;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Training;

public sealed class QaTrainerTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("qa-trainer-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Loss_falls_when_overfitting_one_tiny_batch()
    {
        var config = new EncoderTrainingConfig(TinyModels.SharedOneGroup);
        var windows = TinyModels.Windows(8, config.Architecture.VocabSize, seed: 4);
        var options = new TrainingOptions(BatchSize: 8, LearningRate: 3e-3, WeightDecay: 0, MaxSteps: 60, WarmupFraction: 0);
        using var trainer = new QaTrainer(config, options, windows, new TrainingCheckpoints(Path.Combine(_scratch.FullName, "c")));
        var losses = trainer.Run();
        Assert.Equal(60, losses.Count);
        Assert.True(losses[^1] < 0.5 * losses[0], $"first loss {losses[0]}, last {losses[^1]}");
    }

    [Fact]
    public void Resumed_run_reproduces_the_uninterrupted_loss_trajectory()
    {
        var config = TinyModels.WithDropout(TinyModels.TwoGroupsTwoInner);
        var windows = TinyModels.Windows(20, config.Architecture.VocabSize, seed: 8);
        // 4 batches per epoch: 10 steps cross two epoch boundaries; dropout exercises the per-step seeding.
        var options = new TrainingOptions(BatchSize: 5, MaxSteps: 10, Seed: 11, CheckpointEveryMinutes: 1e9);

        using var uninterrupted = new QaTrainer(config, options, windows, Checkpoints("full"), Log("full"));
        var expected = uninterrupted.Run();

        using (var killed = new QaTrainer(config, options, windows, Checkpoints("resumed"), Log("resumed")))
        {
            Assert.False(killed.TryResume());
            Assert.False(killed.Checkpoints.Exist);
            killed.Run(stopAtStep: 6);
            Assert.True(killed.Checkpoints.Exist);
        }
        using var resumed = new QaTrainer(config, options, windows, Checkpoints("resumed"), Log("resumed"));
        Assert.True(resumed.TryResume());
        Assert.Equal(new TrainingProgress(6, 1, 2), resumed.Progress);
        var continued = resumed.Run();

        Assert.Equal(expected.Skip(6), continued);
        Assert.Equal(LoggedLosses("full"), LoggedLosses("resumed"));
        Assert.True(resumed.Model.parameters().Zip(uninterrupted.Model.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)));
    }

    [Fact]
    public void Resume_drops_log_lines_written_after_the_checkpoint()
    {
        var config = new EncoderTrainingConfig(TinyModels.SharedOneGroup);
        var windows = TinyModels.Windows(10, config.Architecture.VocabSize, seed: 1);
        var options = new TrainingOptions(BatchSize: 5, MaxSteps: 6, CheckpointEveryMinutes: 1e9);
        using (var first = new QaTrainer(config, options, windows, Checkpoints("a"), Log("a")))
        {
            first.Run(stopAtStep: 3);
        }
        // A killed run may have logged steps it never checkpointed.
        File.AppendAllText(Log("a"), "{\"step\":4,\"loss\":123}\n");
        using var second = new QaTrainer(config, options, windows, Checkpoints("a"), Log("a"));
        second.TryResume();
        Assert.Equal([1, 2, 3], LoggedSteps("a"));
        second.Run();
        Assert.Equal([1, 2, 3, 4, 5, 6], LoggedSteps("a"));
    }

    private TrainingCheckpoints Checkpoints(string name) => new(Path.Combine(_scratch.FullName, name, "checkpoints"));

    private string Log(string name)
    {
        Directory.CreateDirectory(Path.Combine(_scratch.FullName, name));
        return Path.Combine(_scratch.FullName, name, "loss-log.jsonl");
    }

    private double[] LoggedLosses(string name) =>
        File.ReadAllLines(Log(name)).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("loss").GetDouble()).ToArray();

    private int[] LoggedSteps(string name) =>
        File.ReadAllLines(Log(name)).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt32()).ToArray();
}
