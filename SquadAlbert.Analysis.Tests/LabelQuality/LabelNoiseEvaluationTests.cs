using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelNoiseEvaluationTests
{
    private static StoredLabelScores Sample(int index, string gold, double score, double loss = 1) =>
        new(index, $"q{index}", [gold], loss, loss / 2, loss / 2,
            new LabelScores(new LabelErrorComponents(loss / 2, loss / 2, 0, 0, 0, 1, 0.5, 0, 0, 0, 0), score, LabelKind.None));

    private static LabelNoiseEntry Entry(string id, LabelNoiseKind kind, string answer) =>
        new(id, kind, null, [new LabelNoiseAnswer("old", 0)], [new LabelNoiseAnswer(answer, 0)]);

    private static LabelNoiseManifest Manifest(params LabelNoiseEntry[] entries) =>
        new("in.json", "out.json", 1, new Dictionary<LabelNoiseKind, double>(), 10, new Dictionary<LabelNoiseKind, int>(), entries);

    [Fact]
    public void Each_kind_is_ranked_against_the_uncorrupted_questions_only()
    {
        // q0 (moved) and q1 (swapped) score highest; q2 … q5 are clean.
        StoredLabelScores[] samples = [Sample(0, "a", 0.9), Sample(1, "b", 0.3), Sample(2, "c", 0.8), Sample(3, "d", 0.2), Sample(4, "e", 0.1), Sample(5, "f", 0.05)];
        var manifest = Manifest(Entry("q0", LabelNoiseKind.Moved, "a"), Entry("q1", LabelNoiseKind.Swapped, "b"), Entry("q99", LabelNoiseKind.Moved, "z"));

        var report = LabelNoiseEvaluation.Evaluate(1, samples, manifest, "m.json");

        Assert.Equal(4, report.Negatives);
        Assert.Equal(["q99"], report.MissingIds);
        Assert.Equal(["moved", "swapped", "overall"], report.Groups.Select(g => g.Kind));
        Assert.Equal([1, 1, 2], report.Groups.Select(g => g.Positives));
        var score = report.Groups.Select(g => g.Detections.Single(d => d.Role == "score")).ToList();
        Assert.Equal(1, score[0].RocAuc);
        Assert.Equal(1, score[0].PrecisionAtK);
        // 0.3 beats 0.2, 0.1 and 0.05 but not 0.8: 3 of 4 negatives.
        Assert.Equal(0.75, score[1].RocAuc);
        Assert.Equal(0.5, score[1].AveragePrecision);
        Assert.Equal(0, score[1].PrecisionAtK);
        Assert.Equal(7.0 / 8, score[2].RocAuc);
        Assert.Equal(LabelNoiseEvaluation.Detectors.Select(d => d.Name), report.Groups[0].Detections.Select(d => d.Detector));
        Assert.Equal(0.5, report.Groups[0].Detections.Single(d => d.Detector == "loss").RocAuc);
        Assert.Null(report.ScoredWith);
        Assert.False(report.InSample);
    }

    [Fact]
    public void The_report_lists_the_learned_score_the_hand_weighted_one_every_other_feature_and_both_baselines()
    {
        Assert.Equal(
            ["label-error score (learned)", "hand-weighted score (0.35/0.35/0.1/0.1/0.1)", "boundary_loss", "disjoint_confidence", "disjoint_distance", "off_gold_mass",
                "gold_rank_gap", "answer_type_mismatch", "neighbour_type_disagreement", "outlier_annotator", "gold_disagreement", "repeated_gold_text", "loss",
                "1 − P(gold) from loss_start, loss_end"],
            LabelNoiseEvaluation.Detectors.Select(d => d.Name));
        Assert.Equal(["score", "old score", .. Enumerable.Repeat("component", 10), "baseline", "baseline"], LabelNoiseEvaluation.Detectors.Select(d => d.Role));
        var sample = Sample(0, "a", 0.7, loss: 2);
        Assert.Equal(HandWeightedLabelScore.Of(sample.Label.Components!), LabelNoiseEvaluation.Detectors[1].Value(sample));
        Assert.Equal(1 - Math.Exp(-2), LabelNoiseEvaluation.Detectors[^1].Value(sample), 12);
    }

    [Fact]
    public void Weights_fitted_on_the_same_manifest_mark_the_report_in_sample()
    {
        StoredLabelScores[] samples = [Sample(0, "a", 0.9), Sample(1, "b", 0.3)];
        var manifest = Manifest(Entry("q0", LabelNoiseKind.Moved, "a"));

        var same = LabelNoiseEvaluation.Evaluate(1, samples, manifest, "m.json", new LabelWeightsUsed("fit", 1, [new LabelNoiseSource("/elsewhere/train.manifest.json", 1), new LabelNoiseSource(Path.GetFullPath("m.json"), 2)]));
        var other = LabelNoiseEvaluation.Evaluate(1, samples, manifest, "m.json", new LabelWeightsUsed("fit", 1, [new LabelNoiseSource("/elsewhere/train.manifest.json", 1)]));

        Assert.True(same.InSample);
        Assert.False(other.InSample);
        Assert.Equal("fit", other.ScoredWith!.Description);
    }

    [Fact]
    public void A_run_of_the_uncorrupted_file_or_without_scores_is_an_input_error()
    {
        StoredLabelScores[] samples = [Sample(0, "original", 0.9), Sample(1, "b", 0.3)];

        var wrongFile = Assert.Throws<InputException>(() => LabelNoiseEvaluation.Evaluate(3, samples, Manifest(Entry("q0", LabelNoiseKind.Moved, "a")), "m.json"));
        var noScores = Assert.Throws<InputException>(() =>
            LabelNoiseEvaluation.Evaluate(3, [samples[0] with { Label = LabelScores.Unscored }], Manifest(Entry("q0", LabelNoiseKind.Moved, "original")), "m.json"));

        Assert.Contains("m.json: question 'q0' was corrupted to 'a', but run 3 (sample 0) has the gold 'original'; analyse the corrupted file out.json", wrongFile.Message, StringComparison.Ordinal);
        Assert.Contains("run `squad-albert latent --run 3` first", noScores.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fit_takes_its_positives_from_every_manifest_and_records_them()
    {
        var samples = Enumerable.Range(0, 40).Select(i => Sample(i, $"g{i}", 0.5, loss: i < 4 ? 6 + (i % 2) : 1 + (i % 5 * 0.2))).ToList();
        var moved = Manifest(Entry("q0", LabelNoiseKind.Moved, "g0"), Entry("q1", LabelNoiseKind.Moved, "g1"));
        var disagreeing = Manifest(Entry("q2", LabelNoiseKind.Disagreeing, "g2"), Entry("q3", LabelNoiseKind.Disagreeing, "g3"));
        var run = new RunInfo
        {
            Id = 3, RunKey = "key", ModelPath = "model", ModelSha256 = "sha", DataFiles = "[]", Preset = "custom", Population = "fit", SettingsJson = "{}",
            Status = RunStatus.Finished, CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), FinishedAt = null, SampleCount = 40,
            BatchCount = 1,
        };

        var weights = LabelNoiseFit.Fit("runs.db", [(run, samples)], [(moved, "train.manifest.json"), (disagreeing, "dev.manifest.json")], 1,
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var twice = Assert.Throws<InputException>(() => LabelNoiseFit.Fit("runs.db", [(run, samples)], [(moved, "a.json"), (moved, "b.json")], 1, DateTimeOffset.UnixEpoch));

        Assert.Equal((40, 4, 36, 3L), (weights.Provenance.Samples, weights.Provenance.Positives, weights.Provenance.Negatives, weights.Provenance.RunId));
        Assert.Equal(2, weights.Provenance.PositivesByKind["moved"]);
        Assert.Equal(2, weights.Provenance.PositivesByKind["disagreeing"]);
        Assert.Equal([new LabelNoiseSource("train.manifest.json", 1), new LabelNoiseSource("dev.manifest.json", 1)], weights.Provenance.Manifests);
        Assert.Equal("2026-01-02T03:04:05.000Z", weights.Provenance.FittedAt);
        Assert.Contains("positives: the errors planted by train.manifest.json (seed 1), dev.manifest.json (seed 1)", weights.Provenance.Description, StringComparison.Ordinal);
        Assert.True(weights.Heads.Single(h => h.Name == LabelErrorHeads.FirstGold).Features.Single(f => f.Name == "loss").Coefficient > 0);
        Assert.Equal("b.json: question 'q0' of run 3 is planted by an earlier manifest too; give each corrupted file once.", twice.Message);
    }

    [Fact]
    public void A_fit_over_several_runs_matches_each_manifest_with_the_runs_that_hold_its_questions()
    {
        var train = Enumerable.Range(0, 30).Select(i => Sample(i, $"g{i}", 0.5, loss: i < 3 ? 6 + (i % 2) : 1 + (i % 5 * 0.2))).ToList();
        var dev = Enumerable.Range(30, 20).Select(i => Sample(i, $"g{i}", 0.5, loss: i < 33 ? 6 : 1 + (i % 5 * 0.2)) with { SampleIndex = i - 30 }).ToList();
        var trainNoise = Manifest(Entry("q0", LabelNoiseKind.Moved, "g0"), Entry("q1", LabelNoiseKind.Shifted, "g1"), Entry("q2", LabelNoiseKind.Moved, "g2"));
        var devNoise = Manifest(Entry("q30", LabelNoiseKind.Disagreeing, "g30"), Entry("q31", LabelNoiseKind.Disagreeing, "g31"), Entry("q32", LabelNoiseKind.Moved, "g32"));
        var trainRun = new RunInfo
        {
            Id = 2, RunKey = "k2", ModelPath = "model", ModelSha256 = "sha", DataFiles = "[\"train.json\"]", Preset = "custom", Population = "train", SettingsJson = "{}",
            Status = RunStatus.Finished, CreatedAt = DateTimeOffset.UnixEpoch, FinishedAt = null, SampleCount = 30, BatchCount = 1,
        };
        var devRun = trainRun with { Id = 3, RunKey = "k3", DataFiles = "[\"dev.json\"]", Population = "dev half", SampleCount = 20 };

        var weights = LabelNoiseFit.Fit("runs.db", [(trainRun, train), (devRun, dev)], [(trainNoise, "train.manifest.json"), (devNoise, "dev.manifest.json")], 1,
            DateTimeOffset.UnixEpoch);
        var otherModel = Assert.Throws<InputException>(() => LabelNoiseFit.Fit("runs.db", [(trainRun, train), (devRun with { ModelPath = "other" }, dev)],
            [(trainNoise, "train.manifest.json")], 1, DateTimeOffset.UnixEpoch));
        var nowhere = Assert.Throws<InputException>(() => LabelNoiseFit.Fit("runs.db", [(trainRun, train)], [(trainNoise, "t.json"), (devNoise, "d.json")], 1,
            DateTimeOffset.UnixEpoch));

        Assert.Equal((50, 6, 44), (weights.Provenance.Samples, weights.Provenance.Positives, weights.Provenance.Negatives));
        Assert.Equal((3, 2, 1), (weights.Provenance.PositivesByKind["moved"], weights.Provenance.PositivesByKind["disagreeing"], weights.Provenance.PositivesByKind["shifted"]));
        Assert.Equal("[\"train.json\",\"dev.json\"]", weights.Provenance.DataFiles);
        Assert.Contains("on run 2 (train); run 3 (dev half) of runs.db", weights.Provenance.Description, StringComparison.Ordinal);
        Assert.Contains("run 3 was analysed with other but run 2 with model", otherModel.Message, StringComparison.Ordinal);
        Assert.Equal("d.json: none of its 3 corrupted questions is in run(s) 2.", nowhere.Message);
    }
}
