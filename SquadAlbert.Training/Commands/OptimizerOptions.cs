using System.CommandLine;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary>The optimisation options shared by <c>train</c> and <c>pretrain</c> (part of a run's settings).</summary>
public sealed class OptimizerOptions
{
    private readonly Option<int> _batch = CommandOptions.WithDefault("--batch-size", 16, "Examples per optimizer step.");
    private readonly Option<double> _lr = CommandOptions.WithDefault("--lr", 1e-3, "Peak learning rate.");
    private readonly Option<double> _weightDecay = CommandOptions.WithDefault("--weight-decay", 0.01, "AdamW weight decay.");
    private readonly Option<double> _beta1 = CommandOptions.WithDefault("--beta1", 0.9, "AdamW beta1.");
    private readonly Option<double> _beta2 = CommandOptions.WithDefault("--beta2", 0.999, "AdamW beta2.");
    private readonly Option<double> _warmup = CommandOptions.WithDefault("--warmup", 0.06, "Warm-up as a fraction of all steps.");
    private readonly Option<double> _clip = CommandOptions.WithDefault("--max-grad-norm", 1.0, "Gradient clipping norm.");
    private readonly Option<int> _seed = CommandOptions.WithDefault("--seed", 42, "Seed of initialisation, data order, masking and dropout.");
    private readonly Option<int> _epochs = CommandOptions.WithDefault("--epochs", 1, "Epochs over the training examples (ignored with --max-steps).");
    private readonly Option<int?> _maxSteps = new("--max-steps") { Description = "Stop after this many optimizer steps." };
    private readonly Option<double> _checkpointMinutes = CommandOptions.WithDefault("--checkpoint-minutes", 10.0, "Save a resumable checkpoint every N minutes.");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _batch, _lr, _weightDecay, _beta1, _beta2, _warmup, _clip, _seed, _epochs, _maxSteps, _checkpointMinutes })
        {
            command.Options.Add(option);
        }
    }

    public TrainingOptions Options(ParseResult parse, int evaluateEverySteps)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new TrainingOptions(
            parse.GetValue(_batch), parse.GetValue(_lr), parse.GetValue(_weightDecay), parse.GetValue(_beta1), parse.GetValue(_beta2),
            WarmupFraction: parse.GetValue(_warmup), MaxGradNorm: parse.GetValue(_clip), Seed: parse.GetValue(_seed),
            Epochs: parse.GetValue(_epochs), MaxSteps: parse.GetValue(_maxSteps), EvaluateEverySteps: evaluateEverySteps,
            CheckpointEveryMinutes: parse.GetValue(_checkpointMinutes));
    }
}

/// <summary>Where and how long a run trains (<c>--device</c>, <c>--threads</c>, <c>--stop-after-minutes</c>): not part of
/// a run's settings, so a run can resume elsewhere.</summary>
public sealed class RuntimeOptions
{
    private readonly Option<int> _threads = new("--threads") { DefaultValueFactory = _ => 2, Description = "Torch CPU threads." };
    private readonly Option<string> _device = new("--device") { DefaultValueFactory = _ => "auto", Description = $"Where to train: {TrainingDevice.Names} (a GPU when libtorch sees one)." };
    private readonly Option<double?> _stopAfter = new("--stop-after-minutes") { Description = "Stop (with a checkpoint) after this many minutes of training; the same command resumes." };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_threads);
        command.Options.Add(_device);
        command.Options.Add(_stopAfter);
    }

    /// <summary>Resolves the device (first, so libtorch's CUDA library loads before any CPU work) and sets the threads.</summary>
    public TorchSharp.torch.Device Apply(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var device = TrainingDevice.Resolve(parse.GetValue(_device)!);
        TorchSharp.torch.set_num_threads(parse.GetValue(_threads));
        return device;
    }

    /// <summary>A token cancelled by <paramref name="cancellation"/> or after <c>--stop-after-minutes</c>.</summary>
    public CancellationTokenSource StopToken(ParseResult parse, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (parse.GetValue(_stopAfter) is { } minutes)
        {
            stop.CancelAfter(TimeSpan.FromMinutes(minutes));
        }
        return stop;
    }
}
