using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>A per-sample score ranked against the planted errors; higher = more likely mislabelled.</summary>
/// <param name="Role">"score" (the learned label-error score), "old score" (the hand-weighted one it replaced),
/// "component" (one of the learned score's features) or "baseline" (what a user would rank by without it).</param>
/// <param name="Value">Reads the detector from a sample whose label evidence is stored (components and score not null).</param>
public sealed record LabelNoiseDetector(string Name, string Role, Func<StoredLabelScores, double> Value);

/// <summary>How one detector ranks one group of planted errors above the uncorrupted questions; k = the group's size.</summary>
public sealed record LabelNoiseDetection(string Detector, string Role, double RocAuc, double AveragePrecision, double PrecisionAtK, double RecallAtK);

/// <summary>The planted errors of one kind ("overall": of every kind) found in the run, and each detector's ranking of them.</summary>
public sealed record LabelNoiseGroup(string Kind, int Positives, IReadOnlyList<LabelNoiseDetection> Detections);

/// <summary>A run scored against a manifest: negatives are the run's uncorrupted questions, the same for every group.</summary>
/// <param name="MissingIds">Corrupted questions of the manifest the run does not have (a population smaller than the file).</param>
/// <param name="ScoredWith">The weights the run's learned score used; null when the run does not record them.</param>
/// <param name="InSample">The weights were fitted on this very manifest (among others), so the learned score's numbers are optimistic.</param>
public sealed record LabelNoiseReport(
    long RunId, int Samples, int Negatives, IReadOnlyList<string> MissingIds, IReadOnlyList<LabelNoiseGroup> Groups, LabelWeightsUsed? ScoredWith, bool InSample);

/// <summary>Which questions of a run were planted with which kind (null: untouched), and the manifest's questions the run lacks.</summary>
public sealed record PlantedLabels(IReadOnlyList<LabelNoiseKind?> Kinds, IReadOnlyList<string> MissingIds);

/// <summary>
/// Measures label-error detection on planted noise: for each corruption kind and overall, every detector's ROC AUC,
/// average precision, and precision and recall at k = the number of planted errors in the group (the two are equal
/// when k is the number of positives, and both are listed so that the table reads the same as for any k).
/// </summary>
public static class LabelNoiseEvaluation
{
    public const string Overall = "overall";

    /// <summary>The features that are the baselines themselves: listed once, as baselines.</summary>
    private static readonly string[] BaselineFeatures = ["loss", "gold_improbability"];

    /// <summary>The learned score, the hand-weighted score it replaced, each feature of the learned score that is not a
    /// baseline, and the two baselines, in the order reports list them.</summary>
    public static IReadOnlyList<LabelNoiseDetector> Detectors { get; } =
    [
        new("label-error score (learned)", "score", s => s.Label.ErrorScore!.Value),
        new("hand-weighted score (0.35/0.35/0.1/0.1/0.1)", "old score", s => HandWeightedLabelScore.Of(s.Label.Components!)),
        .. LabelErrorFeatures.All.Where(feature => !BaselineFeatures.Contains(feature.Name))
            .Select(feature => new LabelNoiseDetector(feature.Name, "component", s => feature.Value(s.Label.Components!))),
        new("loss", "baseline", s => s.Loss),
        new("1 − P(gold) from loss_start, loss_end", "baseline", s => 1 - LabelErrorComponents.GoldProbabilityOf(s.LossStart, s.LossEnd)),
    ];

    /// <param name="scoredWith">The weights the run was scored with (<see cref="LatentStore.LabelWeightsUsedBy"/>).</param>
    /// <exception cref="InputException">The run has no label scores of this version, or a corrupted question's golds are
    /// not the manifest's (the run was not analysed on the corrupted file).</exception>
    public static LabelNoiseReport Evaluate(long runId, IReadOnlyList<StoredLabelScores> samples, LabelNoiseManifest manifest, string manifestPath,
        LabelWeightsUsed? scoredWith = null)
    {
        RequireScores(runId, samples);
        var planted = PlantedIn(runId, samples, manifest, manifestPath);
        var kinds = planted.Kinds;
        var groups = new List<LabelNoiseGroup>();
        foreach (var kind in Enum.GetValues<LabelNoiseKind>().Where(k => kinds.Contains(k)))
        {
            groups.Add(Group(LabelNoisePlanter.Name(kind), samples, kinds, k => k == kind));
        }
        groups.Add(Group(Overall, samples, kinds, k => k is not null));
        var inSample = scoredWith?.Manifests?.Any(m => string.Equals(Path.GetFullPath(m.Path), Path.GetFullPath(manifestPath), StringComparison.Ordinal)) == true;
        return new LabelNoiseReport(runId, samples.Count, kinds.Count(k => k is null), planted.MissingIds, groups, scoredWith, inSample);
    }

    /// <exception cref="InputException">Some sample lacks the stored components or score of the learned score.</exception>
    public static void RequireScores(long runId, IReadOnlyList<StoredLabelScores> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0 || samples.Any(s => s.Label.ErrorScore is null || s.Label.Components is null))
        {
            throw new InputException($"run {runId} has no learned label-error scores yet (or was scored by an older SquadAlbert); " +
                                     $"run `squad-albert latent --run {runId}` first.");
        }
    }

    /// <summary>Matches the run's samples with the manifest's corrupted questions.</summary>
    /// <exception cref="InputException">A corrupted question's golds in the run are not the manifest's, or no corrupted question is in the run.</exception>
    public static PlantedLabels PlantedIn(long runId, IReadOnlyList<StoredLabelScores> samples, LabelNoiseManifest manifest, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(manifest);
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
        return new PlantedLabels(kinds, missing);
    }

    private static LabelNoiseGroup Group(string name, IReadOnlyList<StoredLabelScores> samples, IReadOnlyList<LabelNoiseKind?> kinds, Func<LabelNoiseKind?, bool> isPositive)
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
