using System.Globalization;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>Trains <see cref="EncoderQaModel"/> on QA windows (see <see cref="TrainerBase{TModel}"/> for the loop) and
/// evaluates official EM/F1 every <see cref="TrainingOptions.EvaluateEverySteps"/> steps.</summary>
public sealed class QaTrainer : TrainerBase<EncoderQaModel>
{
    private readonly IReadOnlyList<QaWindow> _windows;
    private readonly IQaEvaluator? _evaluator;

    /// <param name="device">Where the model, its batches and the optimizer state live (the CPU when null).</param>
    /// <param name="initialWeights">Replaces the initial weights before training (e.g. a pre-trained backbone).</param>
    public QaTrainer(EncoderTrainingConfig config, TrainingOptions options, IReadOnlyList<QaWindow> windows,
        TrainingCheckpoints checkpoints, string? logPath = null, IQaEvaluator? evaluator = null, TextWriter? console = null,
        Device? device = null, Action<EncoderQaModel>? initialWeights = null)
        : base(options, Lengths(windows), CreateModel(config, options, initialWeights), checkpoints, logPath, console, device)
    {
        _windows = windows;
        _evaluator = evaluator;
    }

    /// <summary>One optimizer update on <paramref name="windows"/>; returns the batch loss.</summary>
    public float Step(IReadOnlyList<QaWindow> windows, double learningRate)
    {
        using var scope = NewDisposeScope();
        using var batch = QaBatch.Create(windows, Device);
        return OptimizerStep(learningRate, () =>
            EncoderQaModel.SpanLoss(Model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.StartPositions, batch.EndPositions));
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {Progress.Step}: EM {score.ExactMatch:F2} F1 {score.F1:F2} on {score.QuestionCount} questions"));
        return score;
    }

    protected override StepResult TrainBatch(int[] indices, double learningRate) =>
        StepResult.Of(Step(indices.Select(i => _windows[i]).ToArray(), learningRate));

    protected override void AfterStep()
    {
        if (_evaluator is not null && Progress.Step % Options.EvaluateEverySteps == 0)
        {
            Evaluate();
        }
    }

    private static int[] Lengths(IReadOnlyList<QaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Select(w => w.Length).ToArray();
    }

    private static EncoderQaModel CreateModel(EncoderTrainingConfig config, TrainingOptions options, Action<EncoderQaModel>? initialWeights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var model = Seeded(options.Seed, () => new EncoderQaModel(config));
        initialWeights?.Invoke(model);
        return model;
    }
}
