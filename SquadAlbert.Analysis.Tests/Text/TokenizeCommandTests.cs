using SquadAlbert.Analysis.Tests.Cli;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Text;

public sealed class TokenizeCommandTests
{
    [Fact]
    public async Task Prints_each_token_with_its_original_text()
    {
        var (code, output, _) = await CliHarness.Run("tokenize", "--model", DevSet.OurModel, "--question", "Who won?", "--context", "The  Broncos won.");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("window 0:", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("[CLS]", StringComparison.Ordinal) && l.Contains("Special", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Context", StringComparison.Ordinal) && l.Contains("[5,9) \"Bron\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Measures_throughput_on_a_squad_file()
    {
        var (code, output, _) = await CliHarness.Run("tokenize", "--model", DevSet.OurModel, "--data", TestPaths.DevV11, "--limit", "50");
        Assert.Equal(0, code);
        Assert.Matches(@"^texts 50, chars \d+, tokens \d+, seconds [\d.]+, tokens/s \d+", output);
    }

    [Fact]
    public async Task Throughput_on_a_file_with_problems_measures_the_valid_questions_and_says_what_was_left_out()
    {
        var (code, output, error) = await CliHarness.Run("tokenize", "--model", DevSet.OurModel, "--data", TestPaths.Fixture(Path.Combine("squad", "problems.json")));
        Assert.Equal(0, code);
        Assert.StartsWith("texts ", output, StringComparison.Ordinal);
        Assert.Matches(@"problems\.json': \d+ of \d+ questions rejected", error);
    }

    [Fact]
    public async Task Missing_inputs_are_one_line_errors()
    {
        var (code, _, error) = await CliHarness.Run("tokenize", "--model", DevSet.OurModel, "--question", "q");
        Assert.Equal(CliRunner.InputError, code);
        Assert.Equal("error: tokenize: give --question and --context, or --data FILE", error.Trim());

        var (missingModel, _, modelError) = await CliHarness.Run("tokenize", "--model", "/nonexistent/spiece.model", "--data", TestPaths.DevV11);
        Assert.Equal(CliRunner.InputError, missingModel);
        Assert.Contains("/nonexistent/spiece.model", modelError, StringComparison.Ordinal);
    }
}
