using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>
/// The optimisation loop shared by QA fine-tuning and pre-training: AdamW with linear warm-up/decay and gradient
/// clipping over batches planned by <see cref="BatchPlan"/>, a JSON-lines log, and resumable checkpoints.
/// Everything random is a function of (seed, step): the batch order and the dropout generator, which is re-seeded
/// before every step. A checkpoint therefore only needs the weights, the optimizer moments and
/// <see cref="TrainingProgress"/>, and a resumed run reproduces the uninterrupted loss trajectory.
/// </summary>
public abstract class TrainerBase<TModel> : IDisposable where TModel : nn.Module
{
    private readonly int[] _lengths;
    private readonly LinearWarmupSchedule _schedule;

    /// <param name="lengths">Length of every example (for length bucketing); the batches index into them.</param>
    /// <param name="model">The model, initialised on the CPU (so a seed gives the same weights on every device).</param>
    protected TrainerBase(TrainingOptions options, int[] lengths, TModel model, TrainingCheckpoints checkpoints,
        string? logPath, TextWriter? console, Device? device)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (lengths.Length == 0)
        {
            throw new ArgumentException("no training examples", nameof(lengths));
        }
        Options = options;
        _lengths = lengths;
        _schedule = options.Schedule(lengths.Length);
        Console = console ?? TextWriter.Null;
        Checkpoints = checkpoints;
        LogPath = logPath;
        Device = device ?? CPU;
        Model = model;
        Model.to(Device);
        Optimizer = CreateOptimizer(Model, options);
    }

    public TModel Model { get; }

    public Device Device { get; }

    public TrainingProgress Progress { get; private set; } = TrainingProgress.Start;

    public TrainingCheckpoints Checkpoints { get; }

    public string? LogPath { get; }

    public int TotalSteps => _schedule.TotalSteps;

    protected TrainingOptions Options { get; }

    protected AdamW Optimizer { get; }

    protected TextWriter Console { get; }

    /// <summary>Seeds torch before a derived class builds its model, so initial weights depend on the seed alone.</summary>
    protected static TModel Seeded(int seed, Func<TModel> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        torch.random.manual_seed(seed);
        return create();
    }

    /// <summary>Continues from the newest checkpoint, if any; drops log lines of steps after it.</summary>
    public bool TryResume()
    {
        var progress = Checkpoints.TryLoadLatest(Model, Optimizer);
        if (progress is null)
        {
            return false;
        }
        Progress = progress;
        TruncateLog(progress.Step);
        Console.WriteLine($"resumed at step {progress.Step} (epoch {progress.Epoch}, batch {progress.BatchInEpoch}) from {Checkpoints.Directory}");
        return true;
    }

    /// <summary>Trains until <see cref="TotalSteps"/>, <paramref name="stopAtStep"/> or cancellation; saves a
    /// checkpoint every <see cref="TrainingOptions.CheckpointEveryMinutes"/> and when it stops. Returns the
    /// losses of the steps it ran.</summary>
    public IReadOnlyList<float> Run(int? stopAtStep = null, CancellationToken cancellation = default)
    {
        var losses = new List<float>();
        var lastCheckpoint = Stopwatch.StartNew();
        var stepClock = new Stopwatch();
        Model.train();
        var batches = BatchPlan.ForEpoch(_lengths, Options.BatchSize, Options.Seed, Progress.Epoch);
        var end = Math.Min(TotalSteps, stopAtStep ?? int.MaxValue);
        while (Progress.Step < end && !cancellation.IsCancellationRequested)
        {
            if (Progress.BatchInEpoch >= batches.Count)
            {
                Progress = Progress with { Epoch = Progress.Epoch + 1, BatchInEpoch = 0 };
                batches = BatchPlan.ForEpoch(_lengths, Options.BatchSize, Options.Seed, Progress.Epoch);
            }
            var learningRate = _schedule.LearningRate(Progress.Step);
            stepClock.Restart();
            var step = TrainBatch(batches[Progress.BatchInEpoch], learningRate);
            losses.Add(step.Loss);
            Progress = new TrainingProgress(Progress.Step + 1, Progress.Epoch, Progress.BatchInEpoch + 1);
            var entry = new Dictionary<string, object>
            {
                ["step"] = Progress.Step, ["epoch"] = Progress.Epoch, ["lr"] = learningRate, ["loss"] = step.Loss,
                ["seconds"] = Math.Round(stepClock.Elapsed.TotalSeconds, 3),
            };
            foreach (var (name, value) in step.Extra)
            {
                entry[name] = value;
            }
            Log(entry);
            AfterStep();
            if (lastCheckpoint.Elapsed.TotalMinutes >= Options.CheckpointEveryMinutes)
            {
                Checkpoints.Save(Model, Optimizer, Progress);
                lastCheckpoint.Restart();
            }
        }
        Checkpoints.Save(Model, Optimizer, Progress);
        return losses;
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One optimizer update on the examples at <paramref name="indices"/>.</summary>
    protected abstract StepResult TrainBatch(int[] indices, double learningRate);

    /// <summary>Called after every step (with <see cref="Progress"/> already advanced), e.g. to evaluate.</summary>
    protected virtual void AfterStep()
    {
    }

    /// <summary>Seeds dropout for this step, sets the learning rate, back-propagates <paramref name="loss"/> and
    /// updates the weights with clipped gradients; returns the loss.</summary>
    protected float OptimizerStep(double learningRate, Func<Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        // Dropout masks depend only on (seed, step), so a resumed run draws the same ones.
        torch.random.manual_seed(unchecked((Options.Seed * 1_000_003L) + Progress.Step));
        foreach (var group in Optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
        Optimizer.zero_grad();
        var value = loss();
        value.backward();
        nn.utils.clip_grad_norm_(Model.parameters(), Options.MaxGradNorm);
        Optimizer.step();
        return value.item<float>();
    }

    protected void Log(Dictionary<string, object> entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (LogPath is not null)
        {
            File.AppendAllText(LogPath, JsonSerializer.Serialize(entry) + "\n");
        }
        if (entry.TryGetValue("loss", out var loss) && Progress.Step % 10 == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {Progress.Step}/{TotalSteps} loss {loss:F4} lr {entry["lr"]:E2} {entry["seconds"]} s"));
        }
    }

    private static AdamW CreateOptimizer(TModel model, TrainingOptions options)
    {
        static bool Decays(string name) =>
            !name.EndsWith(".bias", StringComparison.Ordinal)
            && !name.Contains("LayerNorm", StringComparison.Ordinal)
            && !name.Contains("layer_norm", StringComparison.Ordinal);
        var named = model.named_parameters().ToArray();
        var groups = new[]
        {
            new AdamW.ParamGroup(named.Where(p => Decays(p.name)).Select(p => p.parameter), new AdamW.Options { weight_decay = options.WeightDecay }),
            new AdamW.ParamGroup(named.Where(p => !Decays(p.name)).Select(p => p.parameter), new AdamW.Options { weight_decay = 0 }),
        };
        return torch.optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.AdamEpsilon, options.WeightDecay);
    }

    private void TruncateLog(int lastKeptStep)
    {
        if (LogPath is null || !File.Exists(LogPath))
        {
            return;
        }
        var kept = File.ReadAllLines(LogPath).Where(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("step").GetInt32() <= lastKeptStep;
        });
        File.WriteAllLines(LogPath, kept.ToArray());
    }
}

/// <summary>A step's loss and any further figures to log beside it (e.g. the parts of a combined loss).</summary>
public sealed record StepResult(float Loss, IReadOnlyDictionary<string, object> Extra)
{
    public static StepResult Of(float loss) => new(loss, new Dictionary<string, object>());
}
