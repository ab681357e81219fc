namespace SquadAlbert.Analysis.Metrics;

/// <summary>The official evaluate-v1.1.py run on files: a dataset and a predictions file in, scores out.</summary>
public static class OfficialSquadEvaluator
{
    public const string ExpectedVersion = "1.1";

    /// <summary>Scores <paramref name="predictionsPath"/> against <paramref name="datasetPath"/>.</summary>
    /// <param name="datasetPath">A SQuAD-format JSON file.</param>
    /// <param name="predictionsPath">A JSON object mapping question id to answer text.</param>
    /// <param name="warn">Receives the script's stderr lines: a dataset version other than 1.1, then one line per
    /// unanswered question.</param>
    /// <exception cref="InputException">A file is missing, not JSON, or not in the expected shape.</exception>
    public static SquadEvaluation EvaluateFiles(string datasetPath, string predictionsPath, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        ArgumentNullException.ThrowIfNull(predictionsPath);
        ArgumentNullException.ThrowIfNull(warn);
        var (version, examples) = EvaluationDataset.Read(datasetPath);
        if (version != ExpectedVersion)
        {
            warn(version is null
                ? $"Evaluation expects v-{ExpectedVersion}, but dataset '{datasetPath}' has no version field"
                : $"Evaluation expects v-{ExpectedVersion}, but got dataset with v-{version}");
        }
        var predictions = PredictionsFile.Read(predictionsPath);
        if (examples.Count == 0)
        {
            throw new InputException($"Dataset file '{datasetPath}' has no questions in $.data.");
        }
        foreach (var example in examples)
        {
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
