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

    /// <summary>A v2.0 file through the CLI: the run completes over its unanswerable question, records the threshold it
    /// used, and a second threshold makes a run of its own.</summary>
    [Fact]
    public async Task A_v20_file_is_analysed_with_the_null_threshold_recorded()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var model = RunFixture.ModelFolder(seed: 1);
        var file = TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json"));
        string[] Args(params string[] extra) =>
            ["analyze", "--model", model, "--data", file, "--preset", "dev", "--db", db, "--max-seq-length", "64", "--doc-stride", "16",
             "--max-query-length", "16", "--threads", "1", "--no-latent", .. extra];

        var standard = await CliHarness.Run(Args());
        var abstaining = await CliHarness.Run(Args("--null-threshold", "-1e6"));

        Assert.True(standard.Code == 0, standard.Error);
        Assert.Contains("2 questions", standard.Output, StringComparison.Ordinal);
        Assert.Contains("(SQuAD 2.0, null threshold 0: HasAns EM ", standard.Output, StringComparison.Ordinal);
        Assert.Contains(" of 1, NoAns EM ", standard.Output, StringComparison.Ordinal);
        Assert.True(abstaining.Code == 0, abstaining.Error);
        Assert.StartsWith("run 2 computed", abstaining.Output, StringComparison.Ordinal);
        // Abstaining on both: the unanswerable question is right (1), the answerable one wrong (0).
        Assert.Contains("EM 50.00, F1 50.00 (SQuAD 2.0, null threshold -1000000: HasAns EM 0.00 F1 0.00 of 1, NoAns EM 100.00 of 1, 2 abstentions)",
            abstaining.Output, StringComparison.Ordinal);
        Assert.Equal(-1e6, JsonSerializer.Deserialize<AnalysisSettings>(new RunStore(AppSchema.Initialize(db)).Find(2)!.SettingsJson)!.NullThreshold);
    }

    [Fact]
    public async Task A_null_threshold_on_a_v11_population_is_reported_as_ignored()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");

        var result = await CliHarness.Run(Analyze(RunFixture.ModelFolder(seed: 1), db, "--no-latent", "--null-threshold", "2"));

        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("--null-threshold ignored: the population is SQuAD 1.1", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("NullThreshold", new RunStore(AppSchema.Initialize(db)).Find(1)!.SettingsJson, StringComparison.Ordinal);
    }
}
