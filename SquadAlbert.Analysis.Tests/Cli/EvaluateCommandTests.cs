using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _tempDir = Directory.CreateTempSubdirectory("squad-albert-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    [Fact]
    public async Task First_gold_answers_score_100_on_the_real_dev_set()
    {
        var examples = SquadLoader.Load(TestPaths.DevV11).Examples;
        var predictions = WritePredictions(examples.ToDictionary(example => example.Id, example => example.Answers[0].Text));

        var (code, stdout, stderr) = await Evaluate(TestPaths.DevV11, predictions);

        Assert.Equal(0, code);
        Assert.Equal("{\"exact_match\": 100.0, \"f1\": 100.0}" + Environment.NewLine, stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task No_predictions_score_zero_and_every_question_is_reported_unanswered()
    {
        var predictions = WritePredictions([]);

        var (code, stdout, stderr) = await Evaluate(TestPaths.DevV11, predictions);

        Assert.Equal(0, code);
        Assert.Equal("{\"exact_match\": 0.0, \"f1\": 0.0}" + Environment.NewLine, stdout);
        var lines = stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10570, lines.Length);
        Assert.Equal("Unanswered question 56be4db0acb8001400a502ec will receive score 0.", lines[0]);
    }

    /// <summary>
    /// The expected line was produced once by an independent Python implementation of the published algorithm:
    /// <c>python3 tools/reference/squad_v11_reference.py perturbed ../shared/data/squad/dev-v1.1.json</c>
    /// (its <c>perturbed_predictions</c> builds the same predictions as <see cref="PerturbedPredictions"/>).
    /// </summary>
    [Fact]
    public async Task Perturbed_predictions_match_the_python_reference_to_the_last_digit()
    {
        var examples = SquadLoader.Load(TestPaths.DevV11).Examples;
        var predictions = WritePredictions(PerturbedPredictions(examples));

        var (code, stdout, stderr) = await Evaluate(TestPaths.DevV11, predictions);

        Assert.Equal(0, code);
        Assert.Equal("{\"exact_match\": 38.741721854304636, \"f1\": 62.30876323299876}" + Environment.NewLine, stdout);
        Assert.Equal(10570 / 11, stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    /// <summary>
    /// Unicode-heavy predictions (upper-casing, inserted articles, U+00A0, U+001F, U+0130, capital sigma, combining
    /// marks) for the first 2,000 questions, made and scored by the Python reference:
    /// <c>python3 tools/reference/squad_v11_reference.py fuzz ../shared/data/squad/dev-v1.1.json
    /// SquadAlbert.Analysis.Tests/Fixtures/metrics/fuzzed-predictions-dev-first-2000.json 2000</c>.
    /// </summary>
    [Fact]
    public async Task Fuzzed_unicode_predictions_match_the_python_reference_to_the_last_digit()
    {
        var (code, stdout, _) = await Evaluate(TestPaths.DevV11, Fixture("fuzzed-predictions-dev-first-2000.json"));

        Assert.Equal(0, code);
        Assert.Equal("{\"exact_match\": 0.21759697256385999, \"f1\": 7.972348177832191}" + Environment.NewLine, stdout);
    }

    [Fact]
    public async Task Small_dataset_scores_and_ignores_unknown_ids()
    {
        var (code, stdout, stderr) = await Evaluate(Fixture("tiny-v1.1.json"), Fixture("tiny-predictions.json"));

        Assert.Equal(0, code);
        // q1: "broncos" vs "denver broncos" F1 2/3; q2 unanswered; q3: 2 of 3 gold tokens, F1 0.8 (python3: 48.88888888888889).
        Assert.Equal("{\"exact_match\": 0.0, \"f1\": 48.88888888888889}" + Environment.NewLine, stdout);
        Assert.Equal("Unanswered question q2 will receive score 0." + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task A_repeated_prediction_id_keeps_its_last_answer_like_python_json()
    {
        var (code, stdout, _) = await Evaluate(Fixture("tiny-v1.1.json"), Fixture("predictions-duplicate-id.json"));

        Assert.Equal(0, code);
        // q1 "Denver Broncos" (the later value) and q3 exact, q2 unanswered: 2 of 3 (python3: 66.66666666666667).
        Assert.Equal("{\"exact_match\": 66.66666666666667, \"f1\": 66.66666666666667}" + Environment.NewLine, stdout);
    }

    /// <summary>A version "2.0" file is SQuAD 2.0: evaluate-v2.0.py's scoring, which needs an answer for every question
    /// (the script stops with a KeyError on q2 here).</summary>
    [Fact]
    public async Task A_v20_dataset_needs_a_prediction_for_every_question()
    {
        var (code, stdout, stderr) = await Evaluate(Fixture("tiny-version-2.0.json"), Fixture("tiny-predictions.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Equal("", stdout);
        Assert.Contains("tiny-predictions.json' has no entry for 1 of the 3 questions, the first 'q2' ($.data[0].paragraphs[0].qas[1])", stderr, StringComparison.Ordinal);
    }

    /// <summary>Every answerable question answered with its first gold and every unanswerable one with "": all 100.</summary>
    [Fact]
    public async Task Gold_answers_and_empty_abstentions_score_100_on_the_shared_dev_v20()
    {
        var examples = SquadLoader.Load(TestPaths.DevV20).Examples;
        var predictions = WritePredictions(examples.ToDictionary(e => e.Id, e => e.Answers.Count > 0 ? e.Answers[0].Text : ""));

        var (code, stdout, stderr) = await Evaluate(TestPaths.DevV20, predictions);

        Assert.Equal(0, code);
        Assert.Equal("""
            {
              "exact": 100.0,
              "f1": 100.0,
              "total": 11873,
              "HasAns_exact": 100.0,
              "HasAns_f1": 100.0,
              "HasAns_total": 5928,
              "NoAns_exact": 100.0,
              "NoAns_f1": 100.0,
              "NoAns_total": 5945
            }
            """.ReplaceLineEndings("\n") + Environment.NewLine, stdout);
        Assert.Equal("", stderr);
    }

    /// <summary>Abstaining everywhere scores the unanswerable share: 100.0 * 5945 / 11873 (no answerable question of the
    /// file has a gold that normalises to nothing, so none of them scores against ""). With a no-answer probability of 0
    /// for every question the best threshold stays at the initial score, the number of unanswerable questions.</summary>
    [Fact]
    public async Task Abstaining_everywhere_on_the_shared_dev_v20_scores_the_unanswerable_share()
    {
        var examples = SquadLoader.Load(TestPaths.DevV20).Examples;
        var predictions = WritePredictions(examples.ToDictionary(e => e.Id, _ => ""));
        var probabilities = Path.Combine(_tempDir, "na-probs.json");
        File.WriteAllText(probabilities, JsonSerializer.Serialize(examples.ToDictionary(e => e.Id, _ => 0.0)));

        var (code, stdout, _) = await CliHarness.Run("evaluate", "--data", TestPaths.DevV20, "--predictions", predictions, "--na-prob-file", probabilities);

        Assert.Equal(0, code);
        Assert.Equal("""
            {
              "exact": 50.07159100480081,
              "f1": 50.07159100480081,
              "total": 11873,
              "HasAns_exact": 0.0,
              "HasAns_f1": 0.0,
              "HasAns_total": 5928,
              "NoAns_exact": 100.0,
              "NoAns_f1": 100.0,
              "NoAns_total": 5945,
              "best_exact": 50.07159100480081,
              "best_exact_thresh": 0.0,
              "best_f1": 50.07159100480081,
              "best_f1_thresh": 0.0
            }
            """.ReplaceLineEndings("\n") + Environment.NewLine, stdout);
    }

    /// <summary>
    /// The expected output was produced once by an independent Python implementation of evaluate-v2.0.py's semantics:
    /// <c>python3 tools/reference/squad_v20_reference.py perturbed ../shared/data/squad/dev-v2.0.json OUTDIR [0.5]</c>
    /// (its <c>perturbed</c> builds the same predictions and probabilities as this test; the probabilities have many
    /// ties, so the best-threshold walk depends on their file order).
    /// </summary>
    [Theory]
    [InlineData(null, "\"exact\": 42.03655352480418,\n  \"f1\": 54.97325286704121,\n  \"total\": 11873,\n  \"HasAns_exact\": 33.5357624831309,\n  \"HasAns_f1\": 59.44626033913066,\n  \"HasAns_total\": 5928,\n  \"NoAns_exact\": 50.51303616484441,\n  \"NoAns_f1\": 50.51303616484441,\n  \"NoAns_total\": 5945,\n")]
    [InlineData("0.5", "\"exact\": 48.5387012549482,\n  \"f1\": 54.973472301413466,\n  \"total\": 11873,\n  \"HasAns_exact\": 16.751012145748987,\n  \"HasAns_f1\": 29.63900752946632,\n  \"HasAns_total\": 5928,\n  \"NoAns_exact\": 80.23549201009251,\n  \"NoAns_f1\": 80.23549201009251,\n  \"NoAns_total\": 5945,\n")]
    public async Task Perturbed_v20_predictions_match_the_python_reference_to_the_last_digit(string? threshold, string expectedScores)
    {
        var examples = SquadLoader.Load(TestPaths.DevV20).Examples;
        var predictions = new Dictionary<string, string>();
        var probabilities = new List<string>();
        for (var k = 0; k < examples.Count; k++)
        {
            var example = examples[k];
            predictions[example.Id] = example.Answers.Count > 0
                ? (k % 3) switch { 0 => example.Answers[0].Text, 1 => "The " + example.Answers[^1].Text + " indeed", _ => "" }
                : k % 2 == 0 ? "" : "banana";
            probabilities.Add($"\"{example.Id}\": {PythonFloat.Repr(((7 * k % 10) + 1) / 10.0)}");
        }
        var naProbs = Path.Combine(_tempDir, "na-probs.json");
        File.WriteAllText(naProbs, "{" + string.Join(", ", probabilities) + "}");
        string[] args = ["evaluate", "--data", TestPaths.DevV20, "--predictions", WritePredictions(predictions), "--na-prob-file", naProbs];

        var (code, stdout, stderr) = await CliHarness.Run(threshold is null ? args : [.. args, "--na-prob-thresh", threshold]);

        Assert.True(code == 0, stderr);
        Assert.Equal("{\n  " + expectedScores +
            "  \"best_exact\": 51.80662006232629,\n  \"best_exact_thresh\": 0.2,\n  \"best_f1\": 56.63387541452556,\n  \"best_f1_thresh\": 0.9\n}" +
            Environment.NewLine, stdout);
    }

    [Fact]
    public async Task A_probability_file_with_a_v11_dataset_is_refused()
    {
        var probabilities = Path.Combine(_tempDir, "na-probs.json");
        File.WriteAllText(probabilities, "{}");

        var (code, _, stderr) = await CliHarness.Run(
            "evaluate", "--data", Fixture("tiny-v1.1.json"), "--predictions", Fixture("tiny-predictions.json"), "--na-prob-file", probabilities);

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("--na-prob-file: dataset", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The official script would score q2 by its text; the shared loader rejects it because "Carolina Panthers" is
    /// not at its answer_start, so it leaves the denominator and the run says so.
    /// </summary>
    [Fact]
    public async Task Questions_rejected_by_validation_are_not_scored_and_are_reported()
    {
        var (code, stdout, stderr) = await Evaluate(Fixture("dataset-answer-mismatch.json"), Fixture("tiny-predictions.json"));

        Assert.Equal(0, code);
        // q1 F1 2/3 and q3 F1 0.8 over 2 questions, not 3 (python3: 100.0 * (2/3 + 0.8) / 2 == 73.33333333333334).
        Assert.Equal("{\"exact_match\": 0.0, \"f1\": 73.33333333333334}" + Environment.NewLine, stdout);
        var warning = Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("dataset-answer-mismatch.json': 1 of 3 questions rejected", warning, StringComparison.Ordinal);
        Assert.Contains("(id 'q2'), field 'answers[0].answer_start'", warning, StringComparison.Ordinal);
        Assert.Contains("AnswerMismatch", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dataset-missing-answers.json", "1 of 2 questions rejected", "question 1 (id 'q2'), field 'answers'")]
    [InlineData("dataset-numeric-version.json", "0 of 3 questions rejected", "field 'version'")]
    public async Task A_dataset_with_problems_is_scored_on_its_valid_questions_with_a_warning(string dataset, string rejected, string firstProblem)
    {
        var (code, stdout, stderr) = await Evaluate(Fixture(dataset), Fixture("tiny-predictions.json"));

        Assert.Equal(0, code);
        Assert.StartsWith("{\"exact_match\": ", stdout, StringComparison.Ordinal);
        var firstLine = stderr.Split(Environment.NewLine)[0];
        Assert.Contains(rejected, firstLine, StringComparison.Ordinal);
        Assert.Contains(firstProblem, firstLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.json", "tiny-predictions.json", "SQuAD file", "does not exist")]
    [InlineData("tiny-v1.1.json", "missing.json", "Predictions file", "does not exist")]
    [InlineData("tiny-v1.1.json", "bad-syntax.json", "bad-syntax.json' is not valid JSON at line 2, column", "")]
    [InlineData("tiny-v1.1.json", "predictions-not-object.json", "predictions-not-object.json': $ must be an object, found an array", "")]
    [InlineData("tiny-v1.1.json", "predictions-number-value.json", "predictions-number-value.json': $[\"q2\"] must be a string, found a number", "")]
    public async Task Bad_input_is_one_line_naming_the_file_and_field(string dataset, string predictions, string expected, string alsoExpected)
    {
        var (code, stdout, stderr) = await Evaluate(Fixture(dataset), Fixture(predictions));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(alsoExpected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A Latin-1 byte or a lone surrogate escape once crashed the process (exit 134, "Cannot transcode invalid UTF-8").</summary>
    [Theory]
    [InlineData("latin1", "is not valid UTF-8 at line 1, column 57 (byte 56), in $.data[0].paragraphs[0].context: byte 0xE9")]
    [InlineData("lone-surrogate", "has an invalid string at line 1, column 57 (byte 56), in $.data[0].paragraphs[0].context: \\ud800 is a lone UTF-16 surrogate")]
    public async Task A_dataset_with_text_that_is_not_unicode_is_an_input_error_not_a_crash(string kind, string expected)
    {
        var dataset = WriteNotUnicode(kind,
            """{"data": [{"title": "T", "paragraphs": [{"context": "Caf# au lait", "qas": [{"id": "q1", "question": "Which?", "answers": [{"text": "au", "answer_start": 4}]}]}]}]}""");

        var (code, stdout, stderr) = await Evaluate(dataset, Fixture("tiny-predictions.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: SQuAD file '{dataset}' {expected}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("latin1", "is not valid UTF-8 at line 1, column 12 (byte 11), in $.q1: byte 0xE9")]
    [InlineData("lone-surrogate", "has an invalid string at line 1, column 12 (byte 11), in $.q1: \\ud800 is a lone UTF-16 surrogate")]
    public async Task Predictions_with_text_that_are_not_unicode_are_an_input_error_not_a_crash(string kind, string expected)
    {
        var predictions = WriteNotUnicode(kind, """{"q1": "Caf#"}""");

        var (code, stdout, stderr) = await Evaluate(Fixture("tiny-v1.1.json"), predictions);

        Assert.Equal(CliRunner.InputError, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: Predictions file '{predictions}' {expected}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Writes <paramref name="json"/> with '#' as a Latin-1 'é' or as the escape <c>\ud800</c>.</summary>
    private string WriteNotUnicode(string kind, string json)
    {
        var path = Path.Combine(_tempDir, $"{kind}-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(path, kind == "latin1"
            ? Encoding.Latin1.GetBytes(json.Replace("#", "\u00e9", StringComparison.Ordinal))
            : Encoding.UTF8.GetBytes(json.Replace("#", "\\ud800", StringComparison.Ordinal)));
        return path;
    }

    /// <summary>Question k in file order: k%11==10 unanswered; k%5==4 a wrong word; k%3==2 "The " + last gold +
    /// " indeed"; k%7==6 first gold minus its last character; k%13==12 first gold with 10 context characters
    /// either side; otherwise the first gold.</summary>
    private static Dictionary<string, string> PerturbedPredictions(IReadOnlyList<SquadExample> examples)
    {
        var predictions = new Dictionary<string, string>();
        for (var k = 0; k < examples.Count; k++)
        {
            var example = examples[k];
            var first = example.Answers[0];
            if (k % 11 == 10)
            {
                continue;
            }
            predictions[example.Id] = (k % 5, k % 3, k % 7, k % 13) switch
            {
                (4, _, _, _) => "banana",
                (_, 2, _, _) => "The " + example.Answers[^1].Text + " indeed",
                (_, _, 6, _) => WithoutLastCodePoint(first.Text),
                (_, _, _, 12) => ContextAround(example.Context, first.AnswerStart, first.AnswerEnd),
                _ => first.Text,
            };
        }
        return predictions;
    }

    // Python slices strings by code point; the dev set has no characters outside the BMP, but the helper does not rely on that.
    private static string WithoutLastCodePoint(string text) =>
        text.Length == 0 ? text : text[..(text.Length - (char.IsLowSurrogate(text[^1]) && text.Length > 1 ? 2 : 1))];

    private static string ContextAround(string context, int start, int end) =>
        context[Math.Max(0, start - 10)..Math.Min(context.Length, end + 10)];

    private string WritePredictions(Dictionary<string, string> predictions)
    {
        var path = Path.Combine(_tempDir, "predictions.json");
        File.WriteAllText(path, JsonSerializer.Serialize(predictions), Encoding.UTF8);
        return path;
    }

    private static string Fixture(string name) => TestPaths.Fixture("metrics/" + name);

    private static Task<(int Code, string Output, string Error)> Evaluate(string dataset, string predictions) =>
        CliHarness.Run("evaluate", "--data", dataset, "--predictions", predictions);
}
