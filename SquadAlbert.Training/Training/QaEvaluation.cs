using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>Exact match and F1 in percent, as the official SQuAD v1.1 script reports them.</summary>
public sealed record QaScore(double ExactMatch, double F1, int QuestionCount);

/// <summary>Scores the model being trained; called every N steps with the model in eval mode.</summary>
public interface IQaEvaluator
{
    QaScore Evaluate(EncoderQaModel model);
}

/// <summary>
/// Official SQuAD v1.1 EM/F1 on a fixed set of questions: the model's logits for every window go through the same
/// post-processing as the ONNX runner (<see cref="QaPostProcessor"/>) and the official metric
/// (<see cref="OfficialSquadMetric"/>), so training-time scores match what the analysis later reports.
/// </summary>
public sealed class SquadSubsetEvaluator : IQaEvaluator
{
    private readonly IReadOnlyList<SquadExample> _examples;
    private readonly IReadOnlyList<QaWindow> _windows;
    private readonly int _batchSize;

    /// <param name="examples">The questions, indexed as the windows' <see cref="QaWindow.ExampleIndex"/>.</param>
    /// <param name="windows">All windows of those questions.</param>
    public SquadSubsetEvaluator(IReadOnlyList<SquadExample> examples, IReadOnlyList<QaWindow> windows, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _examples = examples;
        _windows = windows;
        _batchSize = batchSize;
    }

    public QaScore Evaluate(EncoderQaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var outputs = new List<QaWindowOutput>(_windows.Count);
        var device = TrainingDevice.Of(model);
        using (no_grad())
        {
            foreach (var chunk in _windows.OrderBy(w => w.Length).Chunk(_batchSize))
            {
                using var scope = NewDisposeScope();
                using var batch = QaBatch.Create(chunk, device);
                var logits = model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                var seq = (int)logits.Start.shape[1];
                var starts = logits.Start.cpu().data<float>().ToArray();
                var ends = logits.End.cpu().data<float>().ToArray();
                for (var b = 0; b < chunk.Length; b++)
                {
                    var length = chunk[b].Length;
                    outputs.Add(new QaWindowOutput(chunk[b], starts[(b * seq)..(b * seq + length)], ends[(b * seq)..(b * seq + length)], null, null));
                }
            }
        }
        var predictions = QaPostProcessor.Predict(_examples, outputs)
            .ToDictionary(p => p.ExampleId, p => p.Text, StringComparer.Ordinal);
        var evaluation = OfficialSquadMetric.Evaluate(_examples, predictions);
        return new QaScore(evaluation.ExactMatch, evaluation.F1, evaluation.QuestionCount);
    }
}
