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
}
