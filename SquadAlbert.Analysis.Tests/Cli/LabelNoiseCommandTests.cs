using System.CommandLine;
using System.Text.Json;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Cli;
using SquadAlbert.Cli.Commands;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class LabelNoiseCommandTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var root = new RootCommand { AnalyzeCommand.Create(), LatentCommand.Create(), LabelNoiseCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliRunner.RunAsync(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The plumbing, not the quality: a tiny random model on the 12-question fixture.</summary>
    [Fact]
    public async Task Corrupt_analyze_latent_report_runs_end_to_end()
    {
        var folder = TinyEncoders.TempDirectory();
        var corrupted = Path.Combine(folder, "corrupted.json");
        var manifest = Path.Combine(folder, "corrupted.manifest.json");
        var db = Path.Combine(folder, "runs.db");

        var corrupt = await Run("label-noise", "corrupt", RunFixture.DataFile, "--out", corrupted, "--rate", "0.1", "--seed", "5");
        var again = await Run("label-noise", "corrupt", RunFixture.DataFile, "--out", Path.Combine(folder, "again.json"), "--rate", "0.1", "--seed", "5");
        var analyzed = await Run("analyze", "--model", RunFixture.ModelFolder(seed: 1), "--data", corrupted, "--preset", "dev", "--db", db, "--max-seq-length", "64",
            "--doc-stride", "16", "--max-query-length", "16", "--questions-per-batch", "6", "--threads", "1", "--no-latent");
        var latent = await Run("latent", "--db", db, "--k", "3", "--min-cluster-size", "3");
        var report = await Run("label-noise", "report", "--db", db, "--manifest", manifest);
        var json = await Run("label-noise", "report", "--db", db, "--run", "1", "--manifest", manifest, "--json");

        Assert.True(corrupt.Code == 0, corrupt.Error);
        Assert.StartsWith("4 of 12 questions corrupted (seed 5):", corrupt.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(corrupted), File.ReadAllBytes(Path.Combine(folder, "again.json")));
        Assert.Equal(File.ReadAllText(manifest).Replace("corrupted.json", "again.json", StringComparison.Ordinal), File.ReadAllText(Path.Combine(folder, "again.manifest.json")));
        Assert.True(analyzed.Code == 0, analyzed.Error);
        Assert.True(latent.Code == 0, latent.Error);
        Assert.True(report.Code == 0, report.Error);
        Assert.Contains("| kind | k | detector | role | ROC AUC | AP | precision@k | recall@k |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| overall | 4 | label-error score | score |", report.Output, StringComparison.Ordinal);
        Assert.Contains("| 1 − P(gold) from loss_start, loss_end | baseline |", report.Output, StringComparison.Ordinal);
        Assert.True(json.Code == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(8, document.RootElement.GetProperty("negatives").GetInt32());
        var overall = document.RootElement.GetProperty("groups").EnumerateArray().Last();
        Assert.Equal("overall", overall.GetProperty("kind").GetString());
        Assert.Equal(7, overall.GetProperty("detections").GetArrayLength());
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
