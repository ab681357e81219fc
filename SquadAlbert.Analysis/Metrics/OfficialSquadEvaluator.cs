using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>The official evaluate-v1.1.py run on files: a dataset and a predictions file in, scores out.</summary>
public static class OfficialSquadEvaluator
{
    public const string ExpectedVersion = "1.1";

    /// <summary>
    /// What <c>squad-albert evaluate</c> prints: for a SQuAD 2.0 dataset (<see cref="SquadDataset.IsVersion2"/>) the output
    /// of evaluate-v2.0.py (<see cref="EvaluateV2"/>), otherwise the line of evaluate-v1.1.py (<see cref="EvaluateFiles"/>).
    /// </summary>
    /// <exception cref="InputException">A file is missing, not JSON, or not in the expected shape; a no-answer
    /// probability file with a v1.1 dataset; a v2.0 question without a prediction or probability.</exception>
    public static string EvaluateToOfficialOutput(
        string datasetPath, string predictionsPath, string? noAnswerProbabilityPath, double noAnswerThreshold, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        ArgumentNullException.ThrowIfNull(warn);
        var dataset = SquadLoader.Load(datasetPath);
        if (dataset.IsVersion2)
        {
            return EvaluateV2(dataset, predictionsPath, noAnswerProbabilityPath, noAnswerThreshold, warn).ToOfficialJson();
        }
        if (noAnswerProbabilityPath is not null)
        {
            throw new InputException(
                $"--na-prob-file: dataset '{datasetPath}' is SQuAD {dataset.Version ?? "without a version"} with no unanswerable question; " +
                "no-answer probabilities only go with a SQuAD 2.0 dataset.");
        }
        return Evaluate(dataset, datasetPath, predictionsPath, warn).ToOfficialJson();
    }

    /// <summary>
    /// evaluate-v2.0.py on a loaded SQuAD 2.0 dataset (<see cref="OfficialSquadV2Metric"/>). Questions rejected by
    /// validation are left out with a warning, as in <see cref="EvaluateFiles"/>. Every question needs a prediction
    /// (<c>""</c> for no answer) and, with <paramref name="noAnswerProbabilityPath"/>, a probability: the script stops
    /// with a KeyError otherwise, so these are input errors naming the first such question and how many there are.
    /// </summary>
    public static SquadV2Evaluation EvaluateV2(
        SquadDataset dataset, string predictionsPath, string? noAnswerProbabilityPath, double noAnswerThreshold, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(predictionsPath);
        ArgumentNullException.ThrowIfNull(warn);
        if (dataset.ValidationWarning is { } rejected)
        {
            warn(rejected);
        }
        var predictions = PredictionsFile.Read(predictionsPath);
        var probabilities = noAnswerProbabilityPath is null ? null : NoAnswerProbabilityFile.Read(noAnswerProbabilityPath);
        var examples = dataset.Examples;
        if (examples.Count == 0)
        {
            throw new InputException($"Dataset file '{dataset.SourcePath}' has no valid questions in $.data.");
        }
        RequireEvery(examples, predictions.ContainsKey, $"Predictions file '{predictionsPath}'", "an answer (\"\" for no answer)");
        if (probabilities is not null)
        {
            var ids = probabilities.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            RequireEvery(examples, ids.Contains, $"No-answer probability file '{noAnswerProbabilityPath}'", "a probability");
        }
        return OfficialSquadV2Metric.Evaluate(examples, predictions, probabilities, noAnswerThreshold);
    }

    private static void RequireEvery(IReadOnlyList<SquadExample> examples, Func<string, bool> has, string file, string what)
    {
        var missing = examples.Where(e => !has(e.Id)).ToList();
        if (missing.Count > 0)
        {
            var at = missing[0].Location;
            throw new InputException(
                $"{file} has no entry for {missing.Count} of the {examples.Count} questions, the first '{missing[0].Id}' " +
                $"($.data[{at.ArticleIndex}].paragraphs[{at.ParagraphIndex}].qas[{at.QuestionIndex}]); SQuAD 2.0 scoring " +
                $"(evaluate-v2.0.py) needs {what} for every question.");
        }
    }

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
        return Evaluate(SquadLoader.Load(datasetPath), datasetPath, predictionsPath, warn);
    }

    private static SquadEvaluation Evaluate(SquadDataset dataset, string datasetPath, string predictionsPath, Action<string> warn)
    {
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
