using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>How one prediction scores against a question's gold answers under the official SQuAD v1.1 rules.</summary>
/// <param name="ExactMatch">True when the normalized prediction equals some normalized gold answer.</param>
/// <param name="F1">The best bag-of-tokens F1 over the gold answers, in [0, 1].</param>
/// <param name="BestGoldIndex">The gold answer the prediction matches best: the first exact match if there is one,
/// otherwise the first gold answer with the highest F1.</param>
public readonly record struct AnswerScore(bool ExactMatch, double F1, int BestGoldIndex);

/// <summary>Corpus scores as the official script reports them.</summary>
/// <param name="ExactMatch">Percentage of questions with an exact match (0..100).</param>
/// <param name="F1">Mean best F1 times 100.</param>
/// <param name="QuestionCount">Questions in the dataset, answered or not: the denominator of both scores.</param>
/// <param name="UnansweredIds">Questions with no prediction (each scored 0), in file order.</param>
public sealed record SquadEvaluation(double ExactMatch, double F1, int QuestionCount, IReadOnlyList<string> UnansweredIds)
{
    /// <summary>The official script's stdout line: <c>print(json.dumps({'exact_match': .., 'f1': ..}))</c>.</summary>
    public string ToOfficialJson() =>
        $"{{\"exact_match\": {PythonFloat.Repr(ExactMatch)}, \"f1\": {PythonFloat.Repr(F1)}}}";
}

/// <summary>
/// The official SQuAD v1.1 metrics (evaluate-v1.1.py): exact match and token F1 of normalized answers, the
/// maximum over gold answers, averaged over every question of the dataset. The arithmetic follows the script
/// operation by operation so that results agree to the last bit.
/// </summary>
public static class OfficialSquadMetric
{
    /// <summary><c>exact_match_score</c>: normalized strings are equal.</summary>
    public static bool ExactMatch(string prediction, string gold) =>
        string.Equals(SquadAnswerNormalizer.Normalize(prediction), SquadAnswerNormalizer.Normalize(gold), StringComparison.Ordinal);

    /// <summary><c>f1_score</c>: F1 of the multiset overlap of normalized tokens; 0 when no token is shared.</summary>
    public static double F1(string prediction, string gold) =>
        TokenF1(SquadAnswerNormalizer.Tokens(prediction), SquadAnswerNormalizer.Tokens(gold));

    /// <summary>Scores one prediction against all gold answers of its question.</summary>
    /// <exception cref="ArgumentException">No gold answers: the official script cannot score such a question either.</exception>
    public static AnswerScore Score(string prediction, IReadOnlyList<string> goldAnswers)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(goldAnswers);
        if (goldAnswers.Count == 0)
        {
            throw new ArgumentException("A question needs at least one gold answer to be scored.", nameof(goldAnswers));
        }
        var normalizedPrediction = SquadAnswerNormalizer.Normalize(prediction);
        var predictionTokens = SplitTokens(normalizedPrediction);
        var best = new AnswerScore(false, double.NegativeInfinity, -1);
        for (var i = 0; i < goldAnswers.Count; i++)
        {
            var normalizedGold = SquadAnswerNormalizer.Normalize(goldAnswers[i]);
            var exact = string.Equals(normalizedPrediction, normalizedGold, StringComparison.Ordinal);
            var f1 = TokenF1(predictionTokens, SplitTokens(normalizedGold));
            // EM and F1 are maximized independently, as the script does; the index prefers an exact match
            // because a normalized-empty exact match has F1 0.
            var isBetter = best.BestGoldIndex < 0 || (exact && !best.ExactMatch) || (exact == best.ExactMatch && f1 > best.F1);
            var bestF1 = Math.Max(best.F1, f1);
            best = isBetter
                ? new AnswerScore(best.ExactMatch || exact, bestF1, i)
                : best with { ExactMatch = best.ExactMatch || exact, F1 = bestF1 };
        }
        return best;
    }

    /// <summary>
    /// The official <c>evaluate</c>: every question counts, unanswered ones score 0. Predictions for ids
    /// not in <paramref name="examples"/> are ignored.
    /// </summary>
    /// <param name="examples">The dataset's questions in file order (article, paragraph, question); the F1 sum is
    /// accumulated in this order, as floating-point addition is order-sensitive.</param>
    /// <param name="predictions">Answer text by question id.</param>
    /// <exception cref="ArgumentException">No questions, or a question without gold answers.</exception>
    public static SquadEvaluation Evaluate(IEnumerable<SquadExample> examples, IReadOnlyDictionary<string, string> predictions)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(predictions);
        var exactCount = 0;
        var f1Sum = 0.0;
        var total = 0;
        var unanswered = new List<string>();
        foreach (var example in examples)
        {
            total++;
            if (!predictions.TryGetValue(example.Id, out var prediction))
            {
                unanswered.Add(example.Id);
                continue;
            }
            if (example.Answers.Count == 0)
            {
                throw new ArgumentException($"Question '{example.Id}' has no gold answers; SQuAD v1.1 scoring needs at least one.", nameof(examples));
            }
            var score = Score(prediction, example.Answers.Select(answer => answer.Text).ToArray());
            exactCount += score.ExactMatch ? 1 : 0;
            f1Sum += score.F1;
        }
        if (total == 0)
        {
            throw new ArgumentException("The dataset has no questions to score.", nameof(examples));
        }
        return new SquadEvaluation(100.0 * exactCount / total, 100.0 * f1Sum / total, total, unanswered);
    }

    private static string[] SplitTokens(string normalized) => normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double TokenF1(string[] predictionTokens, string[] goldTokens)
    {
        var goldCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in goldTokens)
        {
            goldCounts[token] = goldCounts.GetValueOrDefault(token) + 1;
        }
        var same = 0;
        foreach (var token in predictionTokens)
        {
            if (goldCounts.TryGetValue(token, out var remaining) && remaining > 0)
            {
                goldCounts[token] = remaining - 1;
                same++;
            }
        }
        if (same == 0)
        {
            return 0;
        }
        var precision = 1.0 * same / predictionTokens.Length;
        var recall = 1.0 * same / goldTokens.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
