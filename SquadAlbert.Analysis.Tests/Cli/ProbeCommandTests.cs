using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Analysis.WhatIf.Probes;
using SquadAlbert.Cli;

namespace SquadAlbert.Analysis.Tests.Cli;

public sealed class ProbeCommandTests
{
    [Fact]
    public async Task Probe_prints_the_table_per_probe_and_stores_the_probe_runs()
    {
        var db = Path.Combine(TinyEncoders.TempDirectory(), "runs.db");
        var analyzed = await CliHarness.Run(
            "analyze", "--model", RunFixture.ModelFolder(seed: 1), "--data", RunFixture.DataFile, "--preset", "dev", "--db", db, "--max-seq-length", "64",
            "--doc-stride", "16", "--max-query-length", "16", "--questions-per-batch", "6", "--threads", "1", "--no-latent");
        Assert.True(analyzed.Code == 0, analyzed.Error);

        var probed = await CliHarness.Run("probe", "--db", db, "--probe", "all", "--seed", "4", "--title", "Normans", "--threads", "1");

        Assert.True(probed.Code == 0, probed.Error);
        var lines = probed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("  probe            applicable  flips    rate     ΔF1", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  distractor", lines[1], StringComparison.Ordinal);
        // The six Normans questions: two have a swappable wh-phrase.
        Assert.StartsWith("  wh-swap                 2/6", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("  answer-removal", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("  entity-swap", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("probes of run 1 (title = Normans, seed 4)", lines[5], StringComparison.Ordinal);
        Assert.Contains("probe 4/4 entity-swap: 6/6 samples", probed.Error, StringComparison.Ordinal);

        var runs = new ProbeStore(AppSchema.Initialize(db)).List(1);
        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStatus.Finished, "title = Normans", 4, 6), (r.Status, r.Slice, r.Seed, r.SampleCount)));

        var unknown = await CliHarness.Run("probe", "--db", db, "--probe", "paraphrase");
        Assert.Equal(CliRunner.InputError, unknown.Code);
        Assert.Contains("--probe: unknown probe 'paraphrase' (expected distractor, wh-swap, answer-removal, entity-swap)", unknown.Error, StringComparison.Ordinal);
        var empty = await CliHarness.Run("probe", "--db", db, "--probe", "wh-swap", "--title", "Nowhere");
        Assert.Equal(CliRunner.InputError, empty.Code);
        Assert.Contains("the slice 'title = Nowhere' of run 1 has no samples", empty.Error, StringComparison.Ordinal);
    }
}
