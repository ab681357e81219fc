using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>A per-sample score ranked against the planted errors; higher = more likely mislabelled.</summary>
/// <param name="Role">"score" (the label-error score), "component" (one of its stored parts) or "baseline".</param>
public sealed record LabelNoiseDetector(string Name, string Role, Func<StoredLabelScores, double> Value);

/// <summary>How one detector ranks one group of planted errors above the uncorrupted questions; k = the group's size.</summary>
public sealed record LabelNoiseDetection(string Detector, string Role, double RocAuc, double AveragePrecision, double PrecisionAtK, double RecallAtK);

/// <summary>The planted errors of one kind ("overall": of every kind) found in the run, and each detector's ranking of them.</summary>
public sealed record LabelNoiseGroup(string Kind, int Positives, IReadOnlyList<LabelNoiseDetection> Detections);

/// <summary>A run scored against a manifest: negatives are the run's uncorrupted questions, the same for every group.</summary>
/// <param name="MissingIds">Corrupted questions of the manifest the run does not have (a population smaller than the file).</param>
public sealed record LabelNoiseReport(long RunId, int Samples, int Negatives, IReadOnlyList<string> MissingIds, IReadOnlyList<LabelNoiseGroup> Groups);

/// <summary>
/// Measures label-error detection on planted noise: for each corruption kind and overall, every detector's ROC AUC,
/// average precision, and precision and recall at k = the number of planted errors in the group (the two are equal
/// when k is the number of positives, and both are listed so that the table reads the same as for any k).
/// </summary>
public static class LabelNoiseEvaluation
{
    public const string Overall = "overall";

    /// <summary>The stored label-error score, each stored component, and the two baselines, in the order reports list them.</summary>
    public static IReadOnlyList<LabelNoiseDetector> Detectors { get; } =
    [
        new("label-error score", "score", s => s.Score!.Value),
        new("gold improbability (1 − label_gold_probability)", "component", s => 1 - s.GoldProbability!.Value),
        new("disjoint confidence", "component", s => s.DisjointConfidence!.Value),
        new("gold disagreement", "component", s => s.GoldDisagreement!.Value),
        new("answer occurrences", "component", s => s.AnswerOccurrences!.Value),
        new("loss", "baseline", s => s.Loss),
        new("1 − P(gold) from loss_start, loss_end", "baseline", s => 1 - LabelErrorScorer.GoldProbability(s.LossStart, s.LossEnd)),
    ];

    /// <exception cref="InputException">The run has no label scores, or a corrupted question's golds are not the
    /// manifest's (the run was not analysed on the corrupted file).</exception>
    public static LabelNoiseReport Evaluate(long runId, IReadOnlyList<StoredLabelScores> samples, LabelNoiseManifest manifest, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(manifest);
        if (samples.Count == 0 || samples.Any(s => s.Score is null))
        {
            throw new InputException($"run {runId} has no label-error scores yet; run `squad-albert latent --run {runId}` first.");
        }
        var planted = manifest.Corruptions.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var kinds = new LabelNoiseKind?[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (!planted.TryGetValue(sample.ExampleId, out var entry))
            {
                continue;
            }
            if (!sample.GoldTexts.SequenceEqual(entry.Answers.Select(a => a.Text), StringComparer.Ordinal))
            {
                throw new InputException(
                    $"{manifestPath}: question '{entry.Id}' was corrupted to '{entry.Answers[0].Text}', but run {runId} (sample {sample.SampleIndex}) has the gold " +
                    $"'{(sample.GoldTexts.Count > 0 ? sample.GoldTexts[0] : "")}'; analyse the corrupted file {manifest.Corrupted} and score that run.");
            }
            kinds[i] = entry.Kind;
        }
        var present = samples.Select(s => s.ExampleId).ToHashSet(StringComparer.Ordinal);
        var missing = manifest.Corruptions.Where(c => !present.Contains(c.Id)).Select(c => c.Id).ToList();
        if (kinds.All(k => k is null))
        {
            throw new InputException($"{manifestPath}: none of its {manifest.Corruptions.Count} corrupted questions is in run {runId}.");
        }
        var groups = new List<LabelNoiseGroup>();
        foreach (var kind in Enum.GetValues<LabelNoiseKind>().Where(k => kinds.Contains(k)))
        {
            groups.Add(Group(LabelNoisePlanter.Name(kind), samples, kinds, k => k == kind));
        }
        groups.Add(Group(Overall, samples, kinds, k => k is not null));
        return new LabelNoiseReport(runId, samples.Count, kinds.Count(k => k is null), missing, groups);
    }

    private static LabelNoiseGroup Group(string name, IReadOnlyList<StoredLabelScores> samples, LabelNoiseKind?[] kinds, Func<LabelNoiseKind?, bool> isPositive)
    {
        // Questions planted with another kind are neither positives nor negatives of this one.
        var members = Enumerable.Range(0, samples.Count).Where(i => kinds[i] is null || isPositive(kinds[i])).ToArray();
        var labels = members.Select(i => kinds[i] is not null).ToArray();
        var k = labels.Count(p => p);
        var detections = Detectors.Select(detector =>
        {
            var scores = members.Select(i => detector.Value(samples[i])).ToArray();
            return new LabelNoiseDetection(detector.Name, detector.Role, RankingMetrics.RocAuc(scores, labels), RankingMetrics.AveragePrecision(scores, labels),
                RankingMetrics.PrecisionAtK(scores, labels, k), RankingMetrics.RecallAtK(scores, labels, k));
        }).ToList();
        return new LabelNoiseGroup(name, k, detections);
    }
}
