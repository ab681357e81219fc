using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>
/// Trains <see cref="AlbertQaModel"/> on QA windows with AdamW, linear warm-up/decay and gradient clipping.
/// Everything random is a function of (seed, step): the batch order (<see cref="BatchPlan"/>) and the dropout
/// generator, which is re-seeded before every step. A checkpoint therefore only needs the weights, the optimizer
/// moments and <see cref="TrainingProgress"/>, and a resumed run reproduces the uninterrupted loss trajectory.
/// </summary>
public sealed class QaTrainer : IDisposable
{
    private readonly TrainingOptions _options;
    private readonly IReadOnlyList<QaWindow> _windows;
    private readonly int[] _lengths;
    private readonly LinearWarmupSchedule _schedule;
    private readonly AdamW _optimizer;
    private readonly IQaEvaluator? _evaluator;
    private readonly TextWriter _console;

    public QaTrainer(AlbertTrainingConfig config, TrainingOptions options, IReadOnlyList<QaWindow> windows,
        TrainingCheckpoints checkpoints, string? logPath = null, IQaEvaluator? evaluator = null, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (windows.Count == 0)
        {
            throw new ArgumentException("no training windows", nameof(windows));
        }
        _options = options;
        _windows = windows;
        _lengths = windows.Select(w => w.Length).ToArray();
        _schedule = options.Schedule(windows.Count);
        _evaluator = evaluator;
        _console = console ?? TextWriter.Null;
        Checkpoints = checkpoints;
        LogPath = logPath;
        torch.random.manual_seed(options.Seed);
        Model = new AlbertQaModel(config);
        _optimizer = CreateOptimizer(Model, options);
    }

    public AlbertQaModel Model { get; }

    public TrainingProgress Progress { get; private set; } = TrainingProgress.Start;

    public TrainingCheckpoints Checkpoints { get; }

    public string? LogPath { get; }

    public int TotalSteps => _schedule.TotalSteps;

    /// <summary>Continues from the newest checkpoint, if any; drops log lines of steps after it.</summary>
    public bool TryResume()
    {
        var progress = Checkpoints.TryLoadLatest(Model, _optimizer);
        if (progress is null)
        {
            return false;
        }
        Progress = progress;
        TruncateLog(progress.Step);
        _console.WriteLine($"resumed at step {progress.Step} (epoch {progress.Epoch}, batch {progress.BatchInEpoch}) from {Checkpoints.Directory}");
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
        var batches = BatchPlan.ForEpoch(_lengths, _options.BatchSize, _options.Seed, Progress.Epoch);
        var end = Math.Min(TotalSteps, stopAtStep ?? int.MaxValue);
        while (Progress.Step < end && !cancellation.IsCancellationRequested)
        {
            if (Progress.BatchInEpoch >= batches.Count)
            {
                Progress = Progress with { Epoch = Progress.Epoch + 1, BatchInEpoch = 0 };
                batches = BatchPlan.ForEpoch(_lengths, _options.BatchSize, _options.Seed, Progress.Epoch);
            }
            var learningRate = _schedule.LearningRate(Progress.Step);
            stepClock.Restart();
            var loss = Step(batches[Progress.BatchInEpoch].Select(i => _windows[i]).ToArray(), learningRate);
            losses.Add(loss);
            Progress = new TrainingProgress(Progress.Step + 1, Progress.Epoch, Progress.BatchInEpoch + 1);
            Log(new Dictionary<string, object>
            {
                ["step"] = Progress.Step, ["epoch"] = Progress.Epoch, ["lr"] = learningRate, ["loss"] = loss,
                ["seconds"] = Math.Round(stepClock.Elapsed.TotalSeconds, 3),
            });
            if (_evaluator is not null && Progress.Step % _options.EvaluateEverySteps == 0)
            {
                Evaluate();
            }
            if (lastCheckpoint.Elapsed.TotalMinutes >= _options.CheckpointEveryMinutes)
            {
                Checkpoints.Save(Model, _optimizer, Progress);
                lastCheckpoint.Restart();
            }
        }
        Checkpoints.Save(Model, _optimizer, Progress);
        return losses;
    }

    /// <summary>One optimizer update on <paramref name="windows"/>; returns the batch loss.</summary>
    public float Step(IReadOnlyList<QaWindow> windows, double learningRate)
    {
        using var scope = NewDisposeScope();
        // Dropout masks depend only on (seed, step), so a resumed run draws the same ones.
        torch.random.manual_seed(unchecked((_options.Seed * 1_000_003L) + Progress.Step));
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
        using var batch = QaBatch.Create(windows);
        _optimizer.zero_grad();
        var logits = Model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        var loss = AlbertQaModel.SpanLoss(logits, batch.StartPositions, batch.EndPositions);
        loss.backward();
        nn.utils.clip_grad_norm_(Model.parameters(), _options.MaxGradNorm);
        _optimizer.step();
        return loss.item<float>();
    }

    public QaScore Evaluate()
    {
        if (_evaluator is null)
        {
            throw new InvalidOperationException("no evaluator configured");
        }
        Model.eval();
        var score = _evaluator.Evaluate(Model);
        Model.train();
        Log(new Dictionary<string, object>
        {
            ["step"] = Progress.Step, ["eval_exact_match"] = score.ExactMatch, ["eval_f1"] = score.F1, ["eval_questions"] = score.QuestionCount,
        });
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {Progress.Step}: EM {score.ExactMatch:F2} F1 {score.F1:F2} on {score.QuestionCount} questions"));
        return score;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Model.Dispose();
    }

    private static AdamW CreateOptimizer(AlbertQaModel model, TrainingOptions options)
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

    private void Log(Dictionary<string, object> entry)
    {
        if (LogPath is not null)
        {
            File.AppendAllText(LogPath, JsonSerializer.Serialize(entry) + "\n");
        }
        if (entry.TryGetValue("loss", out var loss) && Progress.Step % 10 == 0)
        {
            _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {Progress.Step}/{TotalSteps} loss {loss:F4} lr {entry["lr"]:E2} {entry["seconds"]} s"));
        }
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
