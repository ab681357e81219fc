using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

/// <summary>
/// evaluate-v2.0.py's semantics on hand-made cases. Every expected number is derived by hand from the script's rules
/// (see <see cref="OfficialSquadV2Metric"/>); the floating-point values are the IEEE results of those hand-written sums
/// (python3 used as a calculator, e.g. <c>100.0 * (0.6666666666666666 + 0 + 1 + 0 + 1) / 5 == 53.33333333333333</c>).
/// </summary>
public sealed class OfficialSquadV2MetricTests
{
    /// <summary>q1 partial (F1 2/3: "broncos" of "denver broncos"), q2 answerable but abstained (0), q3 unanswerable and
    /// abstained (1), q4 unanswerable but answered (0), q5 answerable whose only gold "The" normalises to nothing, so it
    /// is scored against "" and the empty prediction gets 1.</summary>
    private static readonly SquadExample[] Examples =
    [
        Example("q1", ["Denver Broncos", "The Denver Broncos"]),
        Example("q2", ["Carolina Panthers"]),
        Example("q3", []),
        Example("q4", []),
        Example("q5", ["The"]),
    ];

    private static readonly Dictionary<string, string> Predictions = new()
    {
        ["q1"] = "the broncos", ["q2"] = "", ["q3"] = "", ["q4"] = "Santa Clara", ["q5"] = "", ["not-in-dataset"] = "x",
    };

    [Theory]
    [InlineData("", new string[0], 1, 1.0)]
    [InlineData("anything", new string[0], 0, 0.0)]
    [InlineData(" the . ", new string[0], 1, 1.0)] // normalises to nothing: equal to ""
    [InlineData("", new[] { "Paris" }, 0, 0.0)]
    [InlineData("", new[] { "a", "An" }, 1, 1.0)] // every gold normalises to nothing: scored against ""
    [InlineData("Paris", new[] { "the", "Paris" }, 1, 1.0)]
    [InlineData("the broncos", new[] { "Denver Broncos" }, 0, 0.6666666666666666)]
    public void Gold_lists_and_empty_answers_score_as_the_script(string prediction, string[] golds, int exact, double f1)
    {
        Assert.Equal(exact, OfficialSquadV2Metric.Exact(prediction, golds));
        Assert.Equal(f1, OfficialSquadV2Metric.F1(prediction, golds));
    }

    [Fact]
    public void Without_probabilities_prints_all_hasans_and_noans()
    {
        var evaluation = OfficialSquadV2Metric.Evaluate(Examples, Predictions);

        Assert.Equal("""
            {
              "exact": 40.0,
              "f1": 53.33333333333333,
              "total": 5,
              "HasAns_exact": 33.333333333333336,
              "HasAns_f1": 55.55555555555555,
              "HasAns_total": 3,
              "NoAns_exact": 50.0,
              "NoAns_f1": 50.0,
              "NoAns_total": 2
            }
            """.ReplaceLineEndings("\n"), evaluation.ToOfficialJson());
    }

    [Fact]
    public void NoAns_keys_are_left_out_when_every_question_has_an_answer()
    {
        var evaluation = OfficialSquadV2Metric.Evaluate([Examples[0], Examples[1]], Predictions);

        Assert.Null(evaluation.NoAnswer);
        Assert.DoesNotContain("NoAns", evaluation.ToOfficialJson(), StringComparison.Ordinal);
        Assert.Contains("\"HasAns_total\": 2\n}", evaluation.ToOfficialJson(), StringComparison.Ordinal);
    }

    /// <summary>Ascending order q1 0.1, q4 0.2, q5 0.5, q3 0.8, q2 0.9 from the initial score 2 (two unanswerable):
    /// exact 2, 2 (+0), 1 (q4 answered: −1), 2 (+1), 2 (q3 abstained: 0), 2 (+0): never above 2, so 40.0 at 0.0;
    /// F1 2, 2.6666666666666665 (+2/3, a new best at 0.1), 1.67, 2.67 (equal, not better), ...: 53.33333333333333 at 0.1.</summary>
    [Fact]
    public void Best_thresholds_walk_the_questions_by_probability()
    {
        var probabilities = Probabilities(("q1", 0.1), ("q2", 0.9), ("q3", 0.8), ("q4", 0.2), ("q5", 0.5), ("not-in-dataset", 0.0));

        var evaluation = OfficialSquadV2Metric.Evaluate(Examples, Predictions, probabilities);

        Assert.Equal(new SquadV2Scores(40.0, 53.33333333333333, 5), evaluation.All); // the default threshold 1.0 changes nothing
        Assert.Equal(40.0, evaluation.Best!.BestExact);
        Assert.Equal("0.0", evaluation.Best.BestExactThreshold.PythonRepr);
        Assert.Equal(53.33333333333333, evaluation.Best.BestF1);
        Assert.Equal("0.1", evaluation.Best.BestF1Threshold.PythonRepr);
        Assert.EndsWith("""
              "NoAns_total": 2,
              "best_exact": 40.0,
              "best_exact_thresh": 0.0,
              "best_f1": 53.33333333333333,
              "best_f1_thresh": 0.1
            }
            """.ReplaceLineEndings("\n"), evaluation.ToOfficialJson(), StringComparison.Ordinal);
    }

    /// <summary>Threshold 0.15: q2 (0.9), q3 (0.8), q4 (0.2) and q5 (0.5) count as abstained: q2 0, q3 1, q4 1, q5 0
    /// (it has an answer, whatever its raw score); q1 (0.1) keeps its raw scores.</summary>
    [Fact]
    public void The_probability_threshold_turns_questions_into_abstentions()
    {
        var probabilities = Probabilities(("q1", 0.1), ("q2", 0.9), ("q3", 0.8), ("q4", 0.2), ("q5", 0.5));

        var evaluation = OfficialSquadV2Metric.Evaluate(Examples, Predictions, probabilities, noAnswerThreshold: 0.15);

        Assert.Equal(new SquadV2Scores(40.0, 53.33333333333333, 5), evaluation.All);
        Assert.Equal(new SquadV2Scores(0.0, 22.222222222222218, 3), evaluation.HasAnswer);
        Assert.Equal(new SquadV2Scores(100.0, 100.0, 2), evaluation.NoAnswer);
    }

    /// <summary>Equal probabilities are walked in the file's order (Python's sort is stable): with a (unanswerable,
    /// answered: −1) before b (answerable, exact: +1) the score goes 1, 0, 1 and never beats the initial 1; with b first
    /// it reaches 2 at b's probability.</summary>
    [Fact]
    public void Ties_are_walked_in_file_order()
    {
        SquadExample[] examples = [Example("a", []), Example("b", ["Paris"])];
        var predictions = new Dictionary<string, string> { ["a"] = "Lyon", ["b"] = "Paris" };

        var aFirst = OfficialSquadV2Metric.Evaluate(examples, predictions, Probabilities(("a", 0.5), ("b", 0.5))).Best!;
        var bFirst = OfficialSquadV2Metric.Evaluate(examples, predictions, Probabilities(("b", 0.5), ("a", 0.5))).Best!;

        Assert.Equal((50.0, "0.0"), (aFirst.BestExact, aFirst.BestExactThreshold.PythonRepr));
        Assert.Equal((100.0, "0.5"), (bFirst.BestExact, bFirst.BestExactThreshold.PythonRepr));
    }

    /// <summary>A repeated id keeps its first position and its last value (Python's dict); a JSON integer prints as an int.</summary>
    [Fact]
    public void Repeated_ids_and_integer_probabilities_follow_python()
    {
        SquadExample[] examples = [Example("a", []), Example("b", ["Paris"])];
        var predictions = new Dictionary<string, string> { ["a"] = "Lyon", ["b"] = "Paris" };
        var probabilities = new List<KeyValuePair<string, NoAnswerProbability>>
        {
            KeyValuePair.Create("b", new NoAnswerProbability(9, "9")),
            KeyValuePair.Create("a", new NoAnswerProbability(3, "3")),
            KeyValuePair.Create("b", new NoAnswerProbability(3, "3")),
        };

        var best = OfficialSquadV2Metric.Evaluate(examples, predictions, probabilities).Best!;

        // b keeps the first position, so at 3 it comes before a: 1 + 1 = 2 beats 1 at b's value, the int 3.
        Assert.Equal((100.0, "3"), (best.BestExact, best.BestExactThreshold.PythonRepr));
    }

    [Fact]
    public void A_missing_prediction_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => OfficialSquadV2Metric.Evaluate(Examples, new Dictionary<string, string> { ["q1"] = "" }));

        Assert.Contains("'q2' has no prediction", error.Message, StringComparison.Ordinal);
    }

    private static SquadExample Example(string id, string[] golds) =>
        new(id, "T", "The Denver Broncos defeated the Carolina Panthers in Santa Clara.", "Who?",
            [.. golds.Select(g => new SquadAnswer(g, 0))], golds.Length == 0, new SquadLocation(0, 0, 0));

    private static List<KeyValuePair<string, NoAnswerProbability>> Probabilities(params (string Id, double Value)[] values) =>
        [.. values.Select(v => KeyValuePair.Create(v.Id, NoAnswerProbability.FromDouble(v.Value)))];
}
