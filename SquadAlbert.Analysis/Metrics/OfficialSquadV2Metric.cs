using System.Globalization;
using System.Text;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>A no-answer probability as read from a <c>--na-prob-file</c>: the value and how Python prints it (a JSON
/// integer stays an <c>int</c> in Python, so a threshold taken from it prints without ".0").</summary>
public readonly record struct NoAnswerProbability(double Value, string PythonRepr)
{
    public static NoAnswerProbability FromDouble(double value) => new(value, PythonFloat.Repr(value));
}

/// <summary>EM and F1 (0..100) over a set of questions, and how many there were.</summary>
public sealed record SquadV2Scores(double Exact, double F1, int Total);

/// <summary>The best no-answer thresholds of <c>find_all_best_thresh</c>.</summary>
public sealed record SquadV2BestThresholds(double BestExact, NoAnswerProbability BestExactThreshold, double BestF1, NoAnswerProbability BestF1Threshold);

/// <summary>What evaluate-v2.0.py prints: all questions, then HasAns and NoAns (each only when the dataset has such
/// questions), then the best thresholds (only with a no-answer probability file).</summary>
public sealed record SquadV2Evaluation(SquadV2Scores All, SquadV2Scores? HasAnswer, SquadV2Scores? NoAnswer, SquadV2BestThresholds? Best)
{
    /// <summary>The script's stdout: <c>print(json.dumps(out_eval, indent=2))</c>, keys in the script's order.</summary>
    public string ToOfficialJson()
    {
        var fields = new List<(string Key, string Value)>();
        void Add(string prefix, SquadV2Scores scores)
        {
            fields.Add((prefix + "exact", PythonFloat.Repr(scores.Exact)));
            fields.Add((prefix + "f1", PythonFloat.Repr(scores.F1)));
            fields.Add((prefix + "total", scores.Total.ToString(CultureInfo.InvariantCulture)));
        }
        Add("", All);
        if (HasAnswer is not null)
        {
            Add("HasAns_", HasAnswer);
        }
        if (NoAnswer is not null)
        {
            Add("NoAns_", NoAnswer);
        }
        if (Best is not null)
        {
            fields.Add(("best_exact", PythonFloat.Repr(Best.BestExact)));
            fields.Add(("best_exact_thresh", Best.BestExactThreshold.PythonRepr));
            fields.Add(("best_f1", PythonFloat.Repr(Best.BestF1)));
            fields.Add(("best_f1_thresh", Best.BestF1Threshold.PythonRepr));
        }
        var text = new StringBuilder("{\n");
        for (var i = 0; i < fields.Count; i++)
        {
            text.Append("  \"").Append(fields[i].Key).Append("\": ").Append(fields[i].Value).Append(i + 1 < fields.Count ? ",\n" : "\n");
        }
        return text.Append('}').ToString();
    }
}

/// <summary>
/// The official SQuAD v2.0 metrics (evaluate-v2.0.py), reproduced from the script's semantics:
/// <list type="bullet">
/// <item>Gold answers that normalise to nothing are dropped; a question left without any (every unanswerable one) is
/// scored against <c>""</c>: EM and F1 are 1 when the prediction normalises to nothing, else 0.</item>
/// <item>F1 is 1 when both token lists are empty, 0 when only one is; otherwise the v1.1 token F1.</item>
/// <item>With no-answer probabilities, a question whose probability is above the threshold (default 1.0) counts as
/// abstained: 1 when it has no answer, else 0.</item>
/// <item><c>find_best_thresh</c>: start at the number of unanswerable questions (everything abstained), walk the
/// questions in ascending no-answer probability (ties in the probability file's order), add the raw score of an
/// answerable question, subtract 1 for an unanswerable one whose prediction is not empty; the best threshold is the
/// probability at which the running score first exceeded every earlier one (strictly; 0.0 when it never did).</item>
/// </list>
/// The plausible answers of unanswerable questions play no part in the official metric (dev-v2.0.json as rebuilt in
/// the shared data folder lacks them, which therefore changes nothing here).
/// </summary>
public static class OfficialSquadV2Metric
{
    /// <summary>The script's default <c>--na-prob-thresh</c>.</summary>
    public const double DefaultNoAnswerThreshold = 1.0;

    /// <summary><c>compute_exact</c> maximised over the gold answers as <c>get_raw_scores</c> filters them.</summary>
    public static int Exact(string prediction, IReadOnlyList<string> goldAnswers) =>
        ScoringGolds(goldAnswers).Max(gold => string.Equals(SquadAnswerNormalizer.Normalize(gold), SquadAnswerNormalizer.Normalize(prediction), StringComparison.Ordinal) ? 1 : 0);

    /// <summary><c>compute_f1</c> maximised over the gold answers as <c>get_raw_scores</c> filters them.</summary>
    public static double F1(string prediction, IReadOnlyList<string> goldAnswers)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var predictionTokens = SquadAnswerNormalizer.Tokens(prediction);
        return ScoringGolds(goldAnswers).Max(gold =>
        {
            var goldTokens = SquadAnswerNormalizer.Tokens(gold);
            return goldTokens.Length == 0 || predictionTokens.Length == 0
                ? (goldTokens.SequenceEqual(predictionTokens, StringComparer.Ordinal) ? 1.0 : 0.0)
                : OfficialSquadMetric.F1(prediction, gold);
        });
    }

    /// <summary>The gold texts <c>get_raw_scores</c> scores against: those that survive normalisation, or <c>[""]</c>.</summary>
    public static IReadOnlyList<string> ScoringGolds(IReadOnlyList<string> goldAnswers)
    {
        ArgumentNullException.ThrowIfNull(goldAnswers);
        var kept = goldAnswers.Where(gold => SquadAnswerNormalizer.Normalize(gold).Length > 0).ToList();
        return kept.Count > 0 ? kept : [""];
    }

    /// <summary>
    /// The script's <c>main</c> on loaded data. <paramref name="noAnswerProbabilities"/> is the probability file in its
    /// order (a repeated id keeps its first position and last value, as Python's dict does), or null when none was given.
    /// </summary>
    /// <exception cref="ArgumentException">A question has no prediction, or no probability when probabilities are given
    /// (the script stops with a KeyError there), or there are no questions.</exception>
    public static SquadV2Evaluation Evaluate(
        IReadOnlyList<SquadExample> examples, IReadOnlyDictionary<string, string> predictions,
        IReadOnlyList<KeyValuePair<string, NoAnswerProbability>>? noAnswerProbabilities = null,
        double noAnswerThreshold = DefaultNoAnswerThreshold)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(predictions);
        if (examples.Count == 0)
        {
            throw new ArgumentException("The dataset has no questions to score.", nameof(examples));
        }
        var probabilities = new Dictionary<string, NoAnswerProbability>(StringComparer.Ordinal);
        foreach (var (id, probability) in noAnswerProbabilities ?? [])
        {
            probabilities[id] = probability;
        }
        var raw = new List<(SquadExample Example, bool HasAnswer, double Exact, double F1)>(examples.Count);
        foreach (var example in examples)
        {
            if (!predictions.TryGetValue(example.Id, out var prediction))
            {
                throw new ArgumentException($"Question '{example.Id}' has no prediction; evaluate-v2.0.py needs one for every question.", nameof(predictions));
            }
            if (noAnswerProbabilities is not null && !probabilities.ContainsKey(example.Id))
            {
                throw new ArgumentException($"Question '{example.Id}' has no no-answer probability.", nameof(noAnswerProbabilities));
            }
            var golds = example.Answers.Select(a => a.Text).ToList();
            raw.Add((example, golds.Count > 0, Exact(prediction, golds), F1(prediction, golds)));
        }
        var thresholded = raw.Select(r =>
            noAnswerProbabilities is not null && probabilities[r.Example.Id].Value > noAnswerThreshold
                ? (r.HasAnswer, Exact: r.HasAnswer ? 0.0 : 1.0, F1: r.HasAnswer ? 0.0 : 1.0)
                : (r.HasAnswer, r.Exact, r.F1)).ToList();
        static SquadV2Scores Scores(IReadOnlyList<(bool HasAnswer, double Exact, double F1)> rows)
        {
            double exact = 0, f1 = 0;
            foreach (var row in rows)
            {
                exact += row.Exact;
                f1 += row.F1;
            }
            return new SquadV2Scores(100.0 * exact / rows.Count, 100.0 * f1 / rows.Count, rows.Count);
        }
        var hasAnswer = thresholded.Where(r => r.HasAnswer).ToList();
        var noAnswer = thresholded.Where(r => !r.HasAnswer).ToList();
        SquadV2BestThresholds? best = null;
        if (noAnswerProbabilities is not null)
        {
            var order = OrderByProbability(noAnswerProbabilities);
            var (bestExact, exactThreshold) = BestThreshold(raw.Select(r => (r.Example.Id, r.HasAnswer, r.Exact, predictions[r.Example.Id])).ToList(), order);
            var (bestF1, f1Threshold) = BestThreshold(raw.Select(r => (r.Example.Id, r.HasAnswer, r.F1, predictions[r.Example.Id])).ToList(), order);
            best = new SquadV2BestThresholds(bestExact, exactThreshold, bestF1, f1Threshold);
        }
        return new SquadV2Evaluation(Scores(thresholded), hasAnswer.Count > 0 ? Scores(hasAnswer) : null, noAnswer.Count > 0 ? Scores(noAnswer) : null, best);
    }

    /// <summary><c>sorted(na_probs, key=lambda k: na_probs[k])</c>: ascending, stable (file order among equal values).</summary>
    private static List<KeyValuePair<string, NoAnswerProbability>> OrderByProbability(IReadOnlyList<KeyValuePair<string, NoAnswerProbability>> probabilities)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        var value = new Dictionary<string, NoAnswerProbability>(StringComparer.Ordinal);
        foreach (var (id, probability) in probabilities)
        {
            position.TryAdd(id, position.Count);
            value[id] = probability;
        }
        return [.. position.OrderBy(p => value[p.Key].Value).ThenBy(p => p.Value).Select(p => KeyValuePair.Create(p.Key, value[p.Key]))];
    }

    /// <summary><c>find_best_thresh</c> over the scored questions (see the class remarks).</summary>
    public static (double Best, NoAnswerProbability Threshold) BestThreshold(
        IReadOnlyList<(string Id, bool HasAnswer, double Score, string Prediction)> scored, IReadOnlyList<KeyValuePair<string, NoAnswerProbability>> ascending)
    {
        ArgumentNullException.ThrowIfNull(scored);
        ArgumentNullException.ThrowIfNull(ascending);
        var byId = scored.ToDictionary(s => s.Id, StringComparer.Ordinal);
        double current = scored.Count(s => !s.HasAnswer);
        var best = current;
        var threshold = NoAnswerProbability.FromDouble(0.0);
        foreach (var (id, probability) in ascending)
        {
            if (!byId.TryGetValue(id, out var question))
            {
                continue;
            }
            current += question.HasAnswer ? question.Score : question.Prediction.Length > 0 ? -1 : 0;
            if (current > best)
            {
                (best, threshold) = (current, probability);
            }
        }
        return (100.0 * best / scored.Count, threshold);
    }
}
