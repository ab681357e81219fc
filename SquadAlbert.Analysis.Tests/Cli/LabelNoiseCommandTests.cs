using System.Text.Json;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class LabelNoiseCommandTests
{
    private static Task<(int Code, string Output, string Error)> Run(params string[] args) => CliHarness.Run(args);

    /// <summary>The plumbing, not the quality: a tiny random model on the 12-question fixture.</summary>
    [Fact]
    public async Task Corrupt_analyze_latent_fit_rescore_and_report_run_end_to_end()
    {
        var folder = TinyEncoders.TempDirectory();
        var corrupted = Path.Combine(folder, "corrupted.json");
        var manifest = Path.Combine(folder, "corrupted.manifest.json");
        var db = Path.Combine(folder, "runs.db");
        var weights = Path.Combine(folder, "weights.json");

        var corrupt = await Run("label-noise", "corrupt", RunFixture.DataFile, "--out", corrupted, "--rate", "0.1", "--seed", "5");
        var again = await Run("label-noise", "corrupt", RunFixture.DataFile, "--out", Path.Combine(folder, "again.json"), "--rate", "0.1", "--seed", "5");
        var analyzed = await Run("analyze", "--model", RunFixture.ModelFolder(seed: 1), "--data", corrupted, "--preset", "dev", "--db", db, "--max-seq-length", "64",
            "--doc-stride", "16", "--max-query-length", "16", "--questions-per-batch", "6", "--threads", "1", "--no-latent");
        var latent = await Run("latent", "--db", db, "--k", "3", "--min-cluster-size", "3");
        var report = await Run("label-noise", "report", "--db", db, "--manifest", manifest);
        var fit = await Run("label-noise", "fit", "--db", db, "--run", "1", "--manifest", manifest, "--out", weights);
        var rescored = await Run("latent", "--db", db, "--k", "3", "--min-cluster-size", "3", "--label-weights", weights);
        var json = await Run("label-noise", "report", "--db", db, "--run", "1", "--manifest", manifest, "--json");
        var inSample = await Run("label-noise", "report", "--db", db, "--manifest", manifest);
        var nothingLeft = await Run("label-noise", "report", "--db", db, "--manifest", manifest, "--exclude-questions-of", "1");

        Assert.True(corrupt.Code == 0, corrupt.Error);
        Assert.StartsWith("4 of 12 questions corrupted (seed 5):", corrupt.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(corrupted), File.ReadAllBytes(Path.Combine(folder, "again.json")));
        Assert.Equal(File.ReadAllText(manifest).Replace("corrupted.json", "again.json", StringComparison.Ordinal), File.ReadAllText(Path.Combine(folder, "again.manifest.json")));
        Assert.True(analyzed.Code == 0, analyzed.Error);
        Assert.True(latent.Code == 0, latent.Error);
        Assert.True(report.Code == 0, report.Error);
        Assert.Contains("| kind | k | detector | role | ROC AUC | AP | precision@k | recall@k |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| overall | 4 | label-error score (learned) | score |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| overall | 4 | hand-weighted score (0.35/0.35/0.1/0.1/0.1) | old score |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| overall | 4 | off_gold_mass | component |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| 1 − P(gold) from loss_start, loss_end | baseline |", report.Output, StringComparison.Ordinal);
        Assert.Contains($"The learned score used the weights: {LabelErrorWeights.Default.Provenance.Description}", report.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", report.Output, StringComparison.Ordinal);

        Assert.True(fit.Code == 0, fit.Error);
        Assert.StartsWith("fitted on run 1: 12 questions, 4 planted, 8 clean;", fit.Output, StringComparison.Ordinal);
        Assert.Contains("| off_gold_mass |", fit.Output, StringComparison.Ordinal);
        var fitted = LabelErrorWeights.Load(weights);
        Assert.NotEmpty(fitted.Heads);
        foreach (var head in fitted.Heads)
        {
            Assert.Equal(LabelErrorHeads.Find(head.Name)!.Features.Select(f => f.Name), head.Features.Select(f => f.Name));
            Assert.Contains($"head '{head.Name}' (positives: ", fit.Output, StringComparison.Ordinal);
        }
        Assert.Equal((1L, 4, 8), (fitted.Provenance.RunId, fitted.Provenance.Positives, fitted.Provenance.Negatives));
        Assert.Equal([new LabelNoiseSource(manifest, 5)], fitted.Provenance.Manifests);
        Assert.Equal(4, fitted.Provenance.PositivesByKind.Values.Sum());

        Assert.True(rescored.Code == 0, rescored.Error);
        Assert.Contains("label_scores computed", rescored.Output, StringComparison.Ordinal);
        Assert.Contains("latent analysis of run 1: 1 stages computed, 4 kept", rescored.Output, StringComparison.Ordinal);
        Assert.True(json.Code == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(8, document.RootElement.GetProperty("negatives").GetInt32());
        Assert.True(document.RootElement.GetProperty("in_sample").GetBoolean());
        Assert.Equal(1, document.RootElement.GetProperty("scored_with").GetProperty("run_id").GetInt64());
        var overall = document.RootElement.GetProperty("groups").EnumerateArray().Last();
        Assert.Equal("overall", overall.GetProperty("kind").GetString());
        Assert.Equal(LabelNoiseEvaluation.Detectors.Count, overall.GetProperty("detections").GetArrayLength());
        Assert.Contains("WARNING: those weights were fitted on this very manifest", inSample.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, nothingLeft.Code);
        Assert.Contains("run 1 holds every question of run 1: nothing is left to measure.", nothingLeft.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fit_and_latent_name_what_is_wrong_with_their_input()
    {
        var folder = TinyEncoders.TempDirectory();
        var db = Path.Combine(folder, "runs.db");
        var badWeights = Path.Combine(folder, "bad.json");
        File.WriteAllText(badWeights, "{\"format\": 2}");

        var noDatabase = await Run("label-noise", "fit", "--db", db, "--manifest", Path.Combine(folder, "m.json"), "--out", Path.Combine(folder, "w.json"));
        var analyzed = await Run("analyze", "--model", RunFixture.ModelFolder(seed: 1), "--data", RunFixture.DataFile, "--preset", "dev", "--db", db,
            "--max-seq-length", "64", "--doc-stride", "16", "--max-query-length", "16", "--questions-per-batch", "6", "--threads", "1", "--no-latent");
        var badLatent = await Run("latent", "--db", db, "--label-weights", badWeights);
        var missingWeights = await Run("latent", "--db", db, "--label-weights", Path.Combine(folder, "none.json"));

        Assert.Equal(CliRunner.InputError, noDatabase.Code);
        Assert.Contains("label-noise fit: database", noDatabase.Error, StringComparison.Ordinal);
        Assert.True(analyzed.Code == 0, analyzed.Error);
        Assert.Equal(CliRunner.InputError, badLatent.Code);
        Assert.Contains($"{badWeights}: not a label-error weights file", badLatent.Error, StringComparison.Ordinal);
        Assert.Equal(CliRunner.InputError, missingWeights.Code);
        Assert.Contains("none.json' does not exist", missingWeights.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rates_adding_up_past_1_are_an_input_error()
    {
        var folder = TinyEncoders.TempDirectory();
        var rates = await Run("label-noise", "corrupt", RunFixture.DataFile, "--out", Path.Combine(folder, "c.json"), "--rate", "0.3");

        Assert.Equal(CliRunner.InputError, rates.Code);
        Assert.Contains("add up to 1.2", rates.Error, StringComparison.Ordinal);
    }
}
