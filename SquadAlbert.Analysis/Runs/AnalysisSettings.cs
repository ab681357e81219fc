using System.Text.Json;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// Everything besides the model and the questions that decides a run's results. Stored as JSON with the run; two runs
/// with equal settings, model and population have equal rows, which is what lets a killed run resume.
/// </summary>
/// <param name="QuestionsPerBatch">Questions computed and committed together: the unit of resumption.</param>
/// <param name="WindowsPerModelCall">Windows per ONNX Runtime call inside a batch.</param>
public sealed record AnalysisSettings(
    int MaxSeqLength = 384,
    int DocStride = 128,
    int MaxQueryLength = 64,
    int MaxAnswerTokens = 30,
    int NBest = 20,
    int QuestionsPerBatch = 256,
    int WindowsPerModelCall = 32)
{
    public QaFeaturizerOptions Featurizer => new(MaxSeqLength, DocStride, MaxQueryLength);

    public QaPostProcessingOptions PostProcessing => new(NBest, MaxAnswerTokens);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <exception cref="InputException">A size is not positive, or the featurizer options contradict each other.</exception>
    public void Validate()
    {
        Featurizer.Validate();
        foreach (var (name, value) in new[]
                 {
                     ("--max-answer-tokens", MaxAnswerTokens), ("--n-best", NBest), ("--questions-per-batch", QuestionsPerBatch),
                     ("--batch-size", WindowsPerModelCall),
                 })
        {
            if (value < 1)
            {
                throw new InputException($"analyze: {name} must be at least 1, got {value}.");
            }
        }
    }
}
