using SquadAlbert.Analysis.Tests.Cli;
using SquadAlbert.Cli;
using SquadAlbert.Cli.Commands;

namespace SquadAlbert.Analysis.Tests.Data;

public class DataCommandsTests
{
    private static readonly string FixtureFolder = TestPaths.Fixture("squad");

    [Fact]
    public async Task Validate_prints_counts_and_exits_zero_for_a_clean_file()
    {
        var (exit, output, _) = await CliHarness.Run("validate", "valid-v1.1.json", "--data", FixtureFolder, "--stats");

        Assert.Equal(0, exit);
        Assert.Contains("questions:   4 read, 4 kept, 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains("problems:    0", output, StringComparison.Ordinal);
        Assert.Contains("answers per question: 1: 2, 2: 1, 3: 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_the_first_problems_and_exits_one()
    {
        var (exit, output, _) = await CliHarness.Run("validate", Path.Combine(FixtureFolder, "problems.json"), "--max-problems", "2");

        Assert.Equal(ValidateCommand.ProblemsFound, exit);
        Assert.Contains("problems:    14", output, StringComparison.Ordinal);
        Assert.Contains("question 1 (id 'q-mismatch')", output, StringComparison.Ordinal);
        Assert.DoesNotContain("q-out-of-range", output, StringComparison.Ordinal);
        Assert.Contains("... 12 more", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_of_a_file_that_is_not_squad_is_one_error_line()
    {
        var (exit, output, error) = await CliHarness.Run("validate", "top-level-array.json", "--data", FixtureFolder);

        Assert.Equal(CliRunner.InputError, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: SQuAD file '", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Population_dev_is_one_validation_split_of_all_dev_questions()
    {
        var (exit, output, _) = await CliHarness.Run("population", "dev", "--data", TestPaths.SquadDir);

        Assert.Equal(0, exit);
        Assert.Contains("validation: 10,570 questions, 48 titles: Super_Bowl_50 (810)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_custom_draws_named_splits_and_lists_members()
    {
        var (exit, output, _) = await CliHarness.Run("population", "custom", "--data", FixtureFolder, "--split", "one=valid-v1.1.json:1:Alpha", "--split", "rest=valid-v1.1.json:all:Beta", "--list");

        Assert.Equal(0, exit);
        Assert.Contains("one: 1 questions sampled from 3 from valid-v1.1.json, titles Alpha", output, StringComparison.Ordinal);
        Assert.Contains("rest\tb-0-0\tBeta", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_custom_without_splits_is_an_input_error()
    {
        var (exit, _, error) = await CliHarness.Run("population", "custom", "--data", FixtureFolder);

        Assert.Equal(CliRunner.InputError, exit);
        Assert.Contains("Split: the custom preset needs at least one split", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_dev_with_squad_version_20_reads_dev_v20()
    {
        var (exit, output, error) = await CliHarness.Run("population", "dev", "--squad-version", "2.0", "--data", TestPaths.SquadDir);

        Assert.True(exit == 0, error);
        Assert.Contains("validation: 11,873 questions, 35 titles", output, StringComparison.Ordinal);
        Assert.Contains("from dev-v2.0.json", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Population_custom_mixing_v11_and_v20_files_is_an_input_error()
    {
        var (exit, _, error) = await CliHarness.Run("population", "custom", "--data", FixtureFolder, "--split", "one=valid-v1.1.json:all:*", "--split", "two=valid-v2.0.json:all:*");

        Assert.Equal(CliRunner.InputError, exit);
        Assert.Contains("Split 'two': valid-v2.0.json is SQuAD 2.0 but valid-v1.1.json (split 'one') is SQuAD 1.1", error, StringComparison.Ordinal);
    }
}
