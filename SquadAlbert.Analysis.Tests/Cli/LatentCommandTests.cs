using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class LatentCommandTests
{
    private static string[] Analyze(string db, params string[] extra) =>
        ["analyze", "--model", RunFixture.ModelFolder(seed: 1), "--data", RunFixture.DataFile, "--preset", "dev", "--db", db, "--max-seq-length", "64",
         "--doc-stride", "16", "--max-query-length", "16", "--questions-per-batch", "6", "--threads", "1", .. extra];

    [Fact]
    public async Task Latent_resumes_then_lists_clusters_and_label_errors_of_the_latest_run()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var analyzed = await CliHarness.Run(Analyze(db, "--no-latent"));
        Assert.True(analyzed.Code == 0, analyzed.Error);
        Assert.DoesNotContain("latent analysis", analyzed.Output, StringComparison.Ordinal);

        var noClusters = await CliHarness.Run("clusters", "--db", db);
        Assert.Equal(CliRunner.InputError, noClusters.Code);
        Assert.Contains("run 1 has no kmeans clusters yet", noClusters.Error, StringComparison.Ordinal);

        var latent = await CliHarness.Run("latent", "--db", db, "--k", "3", "--min-cluster-size", "3");
        Assert.True(latent.Code == 0, latent.Error);
        Assert.Contains("latent analysis of run 1: 5 stages computed, 0 kept", latent.Output, StringComparison.Ordinal);
        Assert.Contains("kmeans       computed 2 clusters", latent.Output, StringComparison.Ordinal);
        Assert.Contains("100.0% stage 5/5 label_scores", latent.Error, StringComparison.Ordinal);

        var again = await CliHarness.Run("latent", "--db", db, "--run", "1", "--k", "3", "--min-cluster-size", "3");
        Assert.Contains("0 stages computed, 5 kept", again.Output, StringComparison.Ordinal);

        var clusters = await CliHarness.Run("clusters", "--db", db);
        Assert.True(clusters.Code == 0, clusters.Error);
        Assert.StartsWith("run 1, kmeans: 2 clusters over 12 questions", clusters.Output, StringComparison.Ordinal);
        Assert.Contains(" · ", clusters.Output, StringComparison.Ordinal);
        var hdbscan = await CliHarness.Run("clusters", "--db", db, "--method", "hdbscan");
        Assert.True(hdbscan.Code == 0, hdbscan.Error);
        Assert.StartsWith("run 1, hdbscan:", hdbscan.Output, StringComparison.Ordinal);

        var errors = await CliHarness.Run("label-errors", "--db", db, "--top", "3");
        Assert.True(errors.Code == 0, errors.Error);
        Assert.Contains("  3. ", errors.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("  4. ", errors.Output, StringComparison.Ordinal);
        Assert.Contains("gold:", errors.Output, StringComparison.Ordinal);
        Assert.Contains("P(gold)", errors.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_runs_the_latent_stages_by_default()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");

        var (code, output, error) = await CliHarness.Run(Analyze(db));

        Assert.True(code == 0, error);
        Assert.StartsWith("run 1 computed", output, StringComparison.Ordinal);
        Assert.Contains("latent analysis of run 1: 5 stages computed", output, StringComparison.Ordinal);
        // The 12-question run is too small for trustworthiness with k = 10.
        Assert.Contains("trustworthiness n/a", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_runs_and_missing_databases_are_input_errors()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");

        var missing = await CliHarness.Run("label-errors", "--db", db);
        Assert.Equal(CliRunner.InputError, missing.Code);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);

        await CliHarness.Run(Analyze(db, "--no-latent"));
        var unknown = await CliHarness.Run("latent", "--db", db, "--run", "7");
        Assert.Equal(CliRunner.InputError, unknown.Code);
        Assert.Contains("no run 7 (runs: 1)", unknown.Error, StringComparison.Ordinal);
    }
}
