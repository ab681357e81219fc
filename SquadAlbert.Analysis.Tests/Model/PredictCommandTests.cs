using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Tests.Cli;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class PredictCommandTests
{
    private static readonly string SpieceModel = Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");

    /// <summary>A random tiny ALBERT sized for the repository's 16,000-piece tokenizer.</summary>
    private static string RandomModelFolder()
    {
        var folder = TinyEncoders.TempDirectory();
        var vocabulary = AlbertTokenizer.Load(SpieceModel).VocabularySize;
        var config = TinyEncoders.SharedOneGroup with { VocabSize = vocabulary, MaxPositionEmbeddings = 128 };
        QaCheckpoint.Random(config, seed: 1).Save(folder);
        File.Copy(SpieceModel, Path.Combine(folder, ModelTokenizer.SentencePieceFileName));
        return folder;
    }

    [Fact]
    public async Task Writes_one_answer_per_question_cut_from_its_context()
    {
        var folder = RandomModelFolder();
        var data = TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json"));
        var outPath = Path.Combine(TinyEncoders.TempDirectory(), "predictions.json");

        var (code, output, error) = await CliHarness.Run("predict", "--model", folder, "--data", data, "--out", outPath, "--max-seq-length", "48", "--doc-stride", "8", "--max-query-length", "12");

        Assert.True(code == 0, error);
        Assert.Contains("answered 4 questions", output, StringComparison.Ordinal);
        var answers = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(outPath))!;
        var examples = SquadLoader.Load(data).Examples;
        Assert.Equal(examples.Select(e => e.Id).Order(), answers.Keys.Order());
        Assert.All(examples, e => Assert.Contains(answers[e.Id], e.Context, StringComparison.Ordinal));
        Assert.All(examples, e => Assert.NotEmpty(answers[e.Id]));
    }

    [Fact]
    public async Task Limit_answers_only_the_first_questions()
    {
        var outPath = Path.Combine(TinyEncoders.TempDirectory(), "predictions.json");

        var (code, _, error) = await CliHarness.Run("predict", "--model", RandomModelFolder(), "--data",
            TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")), "--out", outPath, "--limit", "2", "--max-seq-length", "64", "--doc-stride", "16", "--max-query-length", "16");

        Assert.True(code == 0, error);
        Assert.Equal(["a-0-0", "a-0-1"], JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(outPath))!.Keys);
    }

    [Fact]
    public async Task Precision_int8_answers_through_the_integer_graph()
    {
        var folder = RandomModelFolder();
        var data = TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json"));
        var outPath = Path.Combine(TinyEncoders.TempDirectory(), "predictions.json");

        var (code, output, error) = await CliHarness.Run("predict", "--model", folder, "--data", data, "--out", outPath, "--precision", "int8",
            "--max-seq-length", "48", "--doc-stride", "8", "--max-query-length", "12");

        Assert.True(code == 0, error);
        Assert.Contains("answered 4 questions", output, StringComparison.Ordinal);
        Assert.Contains("windows, int8)", output, StringComparison.Ordinal);
        var answers = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(outPath))!;
        Assert.All(SquadLoader.Load(data).Examples, e => Assert.Contains(answers[e.Id], e.Context, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_precision_is_refused_naming_the_choices()
    {
        var (code, _, error) = await CliHarness.Run("predict", "--model", RandomModelFolder(), "--data",
            TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")), "--out", Path.Combine(TinyEncoders.TempDirectory(), "p.json"), "--precision", "int4");

        Assert.NotEqual(0, code);
        Assert.Contains("int4", error, StringComparison.Ordinal);
        Assert.Contains("int8", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Windows_longer_than_the_position_table_are_refused()
    {
        var (code, _, error) = await CliHarness.Run("predict", "--model", RandomModelFolder(), "--data",
            TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")), "--out", Path.Combine(TinyEncoders.TempDirectory(), "p.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("--max-seq-length 384 exceeds max_position_embeddings 128", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_a_model_is_one_clear_error()
    {
        var folder = TinyEncoders.TempDirectory();
        File.Copy(SpieceModel, Path.Combine(folder, ModelTokenizer.SentencePieceFileName));

        var (code, _, error) = await CliHarness.Run("predict", "--model", folder, "--data",
            TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")), "--out", Path.Combine(folder, "p.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("no model found", error, StringComparison.Ordinal);
        Assert.Contains(folder, error, StringComparison.Ordinal);
    }

    /// <summary>A v2.0 file: the model folder's threshold (config.json) makes the reader abstain everywhere; the null odds
    /// go to evaluate --na-prob-file, which then prints the v2 metrics with the best thresholds.</summary>
    [Fact]
    public async Task On_a_v20_file_the_model_folder_threshold_abstains_and_the_null_odds_feed_evaluate()
    {
        var folder = RandomModelFolder();
        var config = Path.Combine(folder, EncoderConfig.FileName);
        var json = File.ReadAllText(config).TrimEnd();
        File.WriteAllText(config, json[..^1].TrimEnd() + $",\n  \"{ModelNullThreshold.FieldName}\": -1000000\n}}\n");
        var data = TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json"));
        var outPath = Path.Combine(TinyEncoders.TempDirectory(), "predictions.json");
        var oddsPath = Path.Combine(TinyEncoders.TempDirectory(), "null_odds.json");

        var (code, output, error) = await CliHarness.Run("predict", "--model", folder, "--data", data, "--out", outPath, "--null-odds-out", oddsPath,
            "--max-seq-length", "48", "--doc-stride", "8", "--max-query-length", "12");
        var evaluate = await CliHarness.Run("evaluate", "--data", data, "--predictions", outPath, "--na-prob-file", oddsPath);

        Assert.True(code == 0, error);
        Assert.Contains("2 without an answer (null threshold -1000000)", output, StringComparison.Ordinal);
        Assert.All(JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(outPath))!.Values, Assert.Empty);
        Assert.Equal(["g-0", "g-1"], JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(oddsPath))!.Keys);
        Assert.True(evaluate.Code == 0, evaluate.Error);
        Assert.StartsWith("{\n  \"exact\": 50.0,\n  \"f1\": 50.0,\n  \"total\": 2,", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("\"best_exact_thresh\": ", evaluate.Output, StringComparison.Ordinal);

        var answering = await CliHarness.Run("predict", "--model", folder, "--data", data, "--out", outPath, "--null-threshold", "1000000",
            "--max-seq-length", "48", "--doc-stride", "8", "--max-query-length", "12");
        Assert.True(answering.Code == 0, answering.Error);
        Assert.Contains("0 without an answer (null threshold 1000000)", answering.Output, StringComparison.Ordinal);
        Assert.All(JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(outPath))!.Values, Assert.NotEmpty);
    }

    [Fact]
    public async Task Null_odds_of_a_v11_file_are_refused()
    {
        var (code, _, error) = await CliHarness.Run("predict", "--model", RandomModelFolder(), "--data", TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")),
            "--out", Path.Combine(TinyEncoders.TempDirectory(), "p.json"), "--null-odds-out", Path.Combine(TinyEncoders.TempDirectory(), "o.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("--null-odds-out goes with a SQuAD 2.0 file", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"oops\"")]
    [InlineData("[1]")]
    public async Task A_bad_model_folder_threshold_names_the_file_and_field(string value)
    {
        var folder = RandomModelFolder();
        var config = Path.Combine(folder, EncoderConfig.FileName);
        var json = File.ReadAllText(config).TrimEnd();
        File.WriteAllText(config, json[..^1].TrimEnd() + $",\n  \"{ModelNullThreshold.FieldName}\": {value}\n}}\n");

        var (code, _, error) = await CliHarness.Run("predict", "--model", folder, "--data", TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json")),
            "--out", Path.Combine(TinyEncoders.TempDirectory(), "p.json"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains($"{config}: field '{ModelNullThreshold.FieldName}' must be a number", error, StringComparison.Ordinal);
    }
}
