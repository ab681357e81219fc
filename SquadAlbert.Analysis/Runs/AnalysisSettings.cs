using System.Text.Json;
using System.Text.Json.Serialization;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// Everything besides the model and the questions that decides a run's results. Stored as JSON with the run; two runs
/// with equal settings, model and population have equal rows, which is what lets a killed run resume.
/// </summary>
/// <param name="QuestionsPerBatch">Questions computed and committed together: the unit of resumption.</param>
/// <param name="WindowsPerModelCall">Windows per ONNX Runtime call inside a batch.</param>
/// <param name="Precision">The arithmetic of the forward graph. Left out of the JSON when fp32, so fp32 runs keep the
/// settings JSON, and therefore the run key, they had before precision existed; JSON without it reads as fp32.</param>
/// <param name="NullThreshold">SQuAD 2.0 no-answer threshold (<see cref="QaPostProcessingOptions.NullThreshold"/>). As asked
/// for, null means "the model folder's, else 0.0"; <see cref="AnalysisRunner"/> stores the value it used for a SQuAD 2.0
/// population and null for a v1.1 one, whose runs thus keep their settings JSON and run key (null is left out).</param>
public sealed record AnalysisSettings(
    int MaxSeqLength = 384,
    int DocStride = 128,
    int MaxQueryLength = 64,
    int MaxAnswerTokens = 30,
    int NBest = 20,
    int QuestionsPerBatch = 256,
    int WindowsPerModelCall = 32,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] InferencePrecision Precision = InferencePrecision.Fp32,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NullThreshold = null)
{
    public QaFeaturizerOptions Featurizer => new(MaxSeqLength, DocStride, MaxQueryLength);

    public QaPostProcessingOptions PostProcessing => new(NBest, MaxAnswerTokens, NullThreshold);

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
