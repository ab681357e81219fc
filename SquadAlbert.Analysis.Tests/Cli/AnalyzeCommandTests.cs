using System.Text.Json;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class AnalyzeCommandTests
{
    private static string[] Analyze(string model, string db, params string[] extra) =>
        ["analyze", "--model", model, "--data", RunFixture.DataFile, "--preset", "dev", "--db", db, "--max-seq-length", "64", "--doc-stride", "16",
         "--max-query-length", "16", "--questions-per-batch", "5", "--threads", "1", .. extra];

    [Fact]
    public async Task Analyzes_once_then_reports_the_finished_run_and_compares_two_models()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");

        var first = await CliHarness.Run(Analyze(RunFixture.ModelFolder(seed: 1), db));
        var again = await CliHarness.Run(Analyze(RunFixture.ModelFolder(seed: 1), db));
        var other = await CliHarness.Run(Analyze(RunFixture.ModelFolder(seed: 2), db));
        var compare = await CliHarness.Run("compare", "--db", db, "1", "2");

        Assert.True(first.Code == 0, first.Error);
        Assert.StartsWith("run 1 computed: 3 batches", first.Output, StringComparison.Ordinal);
        Assert.Contains("12 questions", first.Output, StringComparison.Ordinal);
        Assert.Contains("100.0% 12/12 questions", first.Error, StringComparison.Ordinal);
        Assert.StartsWith("run 1 already finished", again.Output, StringComparison.Ordinal);
        Assert.StartsWith("run 2 computed", other.Output, StringComparison.Ordinal);
        Assert.True(compare.Code == 0, compare.Error);
        Assert.StartsWith("run 1 vs run 2: 12 questions in both", compare.Output, StringComparison.Ordinal);
        Assert.Contains("right->wrong", compare.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Precision_int8_is_recorded_in_the_run_settings_and_makes_a_run_of_its_own()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var model = RunFixture.ModelFolder(seed: 1);

        var fp32 = await CliHarness.Run(Analyze(model, db, "--no-latent"));
        var int8 = await CliHarness.Run(Analyze(model, db, "--no-latent", "--precision", "int8"));
        var again = await CliHarness.Run(Analyze(model, db, "--no-latent", "--precision", "int8"));

        Assert.True(fp32.Code == 0, fp32.Error);
        Assert.True(int8.Code == 0, int8.Error);
        Assert.StartsWith("run 2 computed", int8.Output, StringComparison.Ordinal);
        Assert.StartsWith("run 2 already finished", again.Output, StringComparison.Ordinal);
        var store = new RunStore(AppSchema.Initialize(db));
        var (first, second) = (store.Find(1)!, store.Find(2)!);
        Assert.DoesNotContain("Precision", first.SettingsJson, StringComparison.Ordinal);
        Assert.Equal(InferencePrecision.Fp32, JsonSerializer.Deserialize<AnalysisSettings>(first.SettingsJson)!.Precision);
        Assert.Contains(",\"Precision\":\"int8\",", second.SettingsJson, StringComparison.Ordinal);
        Assert.Equal(InferencePrecision.Int8, JsonSerializer.Deserialize<AnalysisSettings>(second.SettingsJson)!.Precision);
        Assert.Equal(first.SampleCount, second.SampleCount);
    }

    [Fact]
    public async Task A_data_file_with_a_sampling_preset_is_an_input_error()
    {
        var (code, _, error) = await CliHarness.Run("analyze", "--model", TinyEncoders.TempDirectory(), "--data", RunFixture.DataFile, "--preset", "tensorleap",
            "--db", Path.Combine(TinyEncoders.TempDirectory(), "runs.db"));

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("only goes with the dev preset", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparing_an_unknown_run_names_the_database()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        await CliHarness.Run(Analyze(RunFixture.ModelFolder(seed: 1), db));

        var (code, _, error) = await CliHarness.Run("compare", "--db", db, "1", "7");

        Assert.Equal(CliRunner.InputError, code);
        Assert.Contains("no run 7 (runs: 1)", error, StringComparison.Ordinal);
    }
}
