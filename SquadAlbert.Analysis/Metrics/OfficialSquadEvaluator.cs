using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>The official evaluate-v1.1.py run on files: a dataset and a predictions file in, scores out.</summary>
public static class OfficialSquadEvaluator
{
    public const string ExpectedVersion = "1.1";

    /// <summary>Scores <paramref name="predictionsPath"/> against <paramref name="datasetPath"/>.</summary>
    /// <param name="datasetPath">A SQuAD-format JSON file, read with <see cref="SquadLoader"/>.</param>
    /// <param name="predictionsPath">A JSON object mapping question id to answer text.</param>
    /// <param name="warn">Receives one line when validation rejected questions, then the script's stderr lines:
    /// a dataset version other than 1.1, then one line per unanswered question.</param>
    /// <exception cref="InputException">A file is missing, not JSON, or not in the expected shape.</exception>
    /// <remarks>
    /// Unlike the official script, questions that fail validation (an answer not at its <c>answer_start</c>, a
    /// repeated id, an empty field, ...) are left out of the score and its denominator, with a warning. The script
    /// scores whatever it can read and stops with a Python traceback on a missing key; scoring only validated
    /// questions keeps this evaluation consistent with every other analysis, which sees the same loaded questions.
    /// On a file without problems the two agree to the last digit.
    /// </remarks>
    public static SquadEvaluation EvaluateFiles(string datasetPath, string predictionsPath, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        ArgumentNullException.ThrowIfNull(predictionsPath);
        ArgumentNullException.ThrowIfNull(warn);
        var dataset = SquadLoader.Load(datasetPath);
        if (dataset.ValidationWarning is { } rejected)
        {
            warn(rejected);
        }
        if (dataset.Version != ExpectedVersion)
        {
            warn(dataset.Version is null
                ? $"Evaluation expects v-{ExpectedVersion}, but dataset '{datasetPath}' has no version string"
                : $"Evaluation expects v-{ExpectedVersion}, but got dataset with v-{dataset.Version}");
        }
        var predictions = PredictionsFile.Read(predictionsPath);
        var examples = dataset.Examples;
        if (examples.Count == 0)
        {
            throw new InputException($"Dataset file '{datasetPath}' has no valid questions in $.data.");
        }
        foreach (var example in examples)
        {
            // Only SQuAD v2.0 unanswerable questions get here without answers; the loader rejects the others.
            if (example.Answers.Count == 0 && predictions.ContainsKey(example.Id))
            {
                var at = example.Location;
                throw new InputException(
                    $"Dataset file '{datasetPath}': $.data[{at.ArticleIndex}].paragraphs[{at.ParagraphIndex}].qas[{at.QuestionIndex}] " +
                    $"(id '{example.Id}') has no answers; SQuAD v1.1 scoring needs at least one.");
            }
        }
        var evaluation = OfficialSquadMetric.Evaluate(examples, predictions);
        foreach (var id in evaluation.UnansweredIds)
        {
            warn($"Unanswered question {id} will receive score 0.");
        }
        return evaluation;
    }
}
