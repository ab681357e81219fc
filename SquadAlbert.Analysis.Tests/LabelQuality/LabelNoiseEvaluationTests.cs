using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelNoiseEvaluationTests
{
    private static StoredLabelScores Sample(int index, string gold, double score, double loss = 1) =>
        new(index, $"q{index}", [gold], loss, loss / 2, loss / 2, score, 0.5, 0, 0, 1);

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
    }

    [Fact]
    public void A_run_of_the_uncorrupted_file_or_without_scores_is_an_input_error()
    {
        StoredLabelScores[] samples = [Sample(0, "original", 0.9), Sample(1, "b", 0.3)];

        var wrongFile = Assert.Throws<InputException>(() => LabelNoiseEvaluation.Evaluate(3, samples, Manifest(Entry("q0", LabelNoiseKind.Moved, "a")), "m.json"));
        var noScores = Assert.Throws<InputException>(() =>
            LabelNoiseEvaluation.Evaluate(3, [samples[0] with { Score = null }], Manifest(Entry("q0", LabelNoiseKind.Moved, "original")), "m.json"));

        Assert.Contains("m.json: question 'q0' was corrupted to 'a', but run 3 (sample 0) has the gold 'original'; analyse the corrupted file out.json", wrongFile.Message, StringComparison.Ordinal);
        Assert.Contains("run `squad-albert latent --run 3` first", noScores.Message, StringComparison.Ordinal);
    }
}
