using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Tests.Cli;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class AttributeCommandTests
{
    private static readonly string SpieceModel = Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");
    private static readonly string Data = TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json"));

    /// <summary>A random tiny ALBERT sized for the repository's tokenizer.</summary>
    private static string RandomModelFolder()
    {
        var folder = TinyEncoders.TempDirectory();
        var vocabulary = AlbertTokenizer.Load(SpieceModel).VocabularySize;
        QaCheckpoint.Random(TinyEncoders.SharedOneGroup with { VocabSize = vocabulary, MaxPositionEmbeddings = 128 }, seed: 1).Save(folder);
        File.Copy(SpieceModel, Path.Combine(folder, ModelTokenizer.SentencePieceFileName));
        return folder;
    }

    [Fact]
    public async Task Prints_every_token_with_its_original_text_score_and_the_completeness_check()
    {
        var jsonPath = Path.Combine(TinyEncoders.TempDirectory(), "attribution.json");

        var (code, output, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "a-0-1",
            "--rule", "gauss-legendre", "--steps", "16", "--max-seq-length", "64", "--doc-stride", "16", "--max-query-length", "16", "--json", jsonPath);

        Assert.True(code == 0, error);
        Assert.Contains("question a-0-1: Where did the cat sit?", output, StringComparison.Ordinal);
        Assert.Contains("IntegratedGradients of Loss at Gold positions", output, StringComparison.Ordinal);
        Assert.Contains("completeness: f(x) - f(baseline) =", output, StringComparison.Ordinal);
        Assert.Contains("\"cat\"", output, StringComparison.Ordinal);
        Assert.Contains("\"mat\"", output, StringComparison.Ordinal);
        var result = QaAttribution.FromJson(File.ReadAllText(jsonPath), jsonPath);
        Assert.Equal("a-0-1", result.Key.ExampleId);
        Assert.Equal(16, result.Key.Steps);
        var tokenLines = output.Split('\n').Count(l => l.Contains(" Context ", StringComparison.Ordinal) || l.Contains(" Question ", StringComparison.Ordinal) || l.Contains(" Special ", StringComparison.Ordinal));
        Assert.Equal(result.Tokens.Count, tokenLines);
        // The answer "on the mat" starts at character 12 of the context and is the gold span of the window.
        Assert.Equal(12, result.Tokens[result.StartPosition].Span.Start);
    }

    /// <summary>The default rule is adaptive: it prints the steps it used out of the maximum and the completeness error, and the
    /// JSON records the adaptive rule with the intervals used.</summary>
    [Fact]
    public async Task The_default_adaptive_rule_prints_the_steps_used_and_the_completeness_error()
    {
        var jsonPath = Path.Combine(TinyEncoders.TempDirectory(), "adaptive.json");

        var (code, output, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "a-0-1",
            "--steps", "24", "--max-seq-length", "64", "--doc-stride", "16", "--max-query-length", "16", "--json", jsonPath);

        Assert.True(code == 0, error);
        var result = QaAttribution.FromJson(File.ReadAllText(jsonPath), jsonPath);
        Assert.Equal(IntegrationRule.Adaptive, result.Key.Rule);
        Assert.InRange(result.Key.Steps, AdaptivePathQuadrature.InitialIntervals, 24);
        Assert.Contains($"Adaptive {result.Key.Steps} steps used of at most 24 (bound 1 %)", output, StringComparison.Ordinal);
        Assert.Contains("(relative ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_adaptive_maximum_below_the_starting_rule_is_one_clear_error()
    {
        var (code, _, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "a-0-1", "--steps", "4");

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("--steps (its maximum) must be at least", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gradient_times_input_on_the_end_logit_has_no_completeness_line()
    {
        var (code, output, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "a-1-0",
            "--method", "gxi", "--target", "end", "--positions", "predicted", "--max-seq-length", "64", "--doc-stride", "16", "--max-query-length", "16");

        Assert.True(code == 0, error);
        Assert.Contains("GradientTimesInput of EndLogit at Predicted positions", output, StringComparison.Ordinal);
        Assert.DoesNotContain("completeness", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_question_id_is_one_clear_error()
    {
        var (code, _, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "nope", "--max-seq-length", "64");

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("no question with id 'nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_method_is_refused_by_the_parser()
    {
        var (code, _, error) = await CliHarness.Run("attribute", "--model", RandomModelFolder(), "--data", Data, "--id", "a-0-0", "--method", "shap");

        Assert.NotEqual(0, code);
        Assert.Contains("shap", error, StringComparison.Ordinal);
    }
}
