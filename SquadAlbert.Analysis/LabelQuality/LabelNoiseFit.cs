using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>
/// Learns the label-error score's weights from a run of corrupted files (<c>squad-albert label-noise fit</c>): the
/// manifests' planted errors are the positives, every untouched question a negative, every kind together. Fit on one
/// corruption (seed, file) and measure on another, e.g. train-side questions for the fit and dev for the report; a
/// report on the fit's own manifest says so (<see cref="LabelNoiseReport.InSample"/>).
/// </summary>
public static class LabelNoiseFit
{
    /// <summary>λ of <see cref="LogisticRegression"/> on standardised features: strong enough to keep a tiny fit
    /// finite, negligible against thousands of questions.</summary>
    public const double DefaultL2 = 1.0;

    /// <param name="database">The run database's path, recorded in the provenance.</param>
    /// <param name="runs">The scored runs of corrupted files, each with its stored label evidence (<see cref="LatentStore.LabelScores"/>):
    /// e.g. train-side questions in one run and dev questions of other titles in another, so that disagreeing annotators,
    /// which train lacks, are learned too. They must share one model (the evidence is the reader's).</param>
    /// <param name="manifests">One manifest per corrupted file the runs' populations drew from, with its path; each must
    /// have questions in at least one run.</param>
    /// <exception cref="InputException">No run, runs of different models, a run is not scored, a manifest has no question in
    /// any run or is not of its corrupted file, two manifests name the same question, or λ ≤ 0.</exception>
    public static LabelErrorWeights Fit(string database, IReadOnlyList<(RunInfo Run, IReadOnlyList<StoredLabelScores> Samples)> runs,
        IReadOnlyList<(LabelNoiseManifest Manifest, string Path)> manifests, double l2, DateTimeOffset fittedAt)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(manifests);
        if (runs.Count == 0)
        {
            throw new InputException("A fit needs at least one scored run.");
        }
        if (manifests.Count == 0)
        {
            throw new InputException("A fit needs at least one label-noise manifest.");
        }
        var first = runs[0].Run;
        if (runs.Select(r => r.Run).FirstOrDefault(r => !string.Equals(r.ModelPath, first.ModelPath, StringComparison.Ordinal)) is { } other)
        {
            throw new InputException($"run {other.Id} was analysed with {other.ModelPath} but run {first.Id} with {first.ModelPath}; " +
                                     "the label evidence is the reader's, so fit on runs of one model.");
        }
        foreach (var (run, samples) in runs)
        {
            LabelNoiseEvaluation.RequireScores(run.Id, samples);
        }
        var offsets = new int[runs.Count];
        for (var r = 1; r < runs.Count; r++)
        {
            offsets[r] = offsets[r - 1] + runs[r - 1].Samples.Count;
        }
        var kinds = new LabelNoiseKind?[offsets[^1] + runs[^1].Samples.Count];
        foreach (var (manifest, path) in manifests)
        {
            var ids = manifest.Corruptions.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var matched = false;
            for (var r = 0; r < runs.Count; r++)
            {
                var (run, samples) = runs[r];
                if (!samples.Any(s => ids.Contains(s.ExampleId)))
                {
                    continue;
                }
                matched = true;
                var planted = LabelNoiseEvaluation.PlantedIn(run.Id, samples, manifest, path);
                for (var i = 0; i < samples.Count; i++)
                {
                    if (planted.Kinds[i] is not { } kind)
                    {
                        continue;
                    }
                    if (kinds[offsets[r] + i] is not null)
                    {
                        throw new InputException($"{path}: question '{samples[i].ExampleId}' of run {run.Id} is planted by an earlier manifest too; give each corrupted file once.");
                    }
                    kinds[offsets[r] + i] = kind;
                }
            }
            if (!matched)
            {
                throw new InputException($"{path}: none of its {manifest.Corruptions.Count} corrupted questions is in run(s) {string.Join(", ", runs.Select(r => r.Run.Id))}.");
            }
        }
        var byKind = Enum.GetValues<LabelNoiseKind>().ToDictionary(LabelNoisePlanter.Name, kind => kinds.Count(k => k == kind));
        var sources = manifests.Select(m => new LabelNoiseSource(m.Path, m.Manifest.Seed)).ToList();
        var fitted = string.Join("; ", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"run {r.Run.Id} ({r.Run.Population.ReplaceLineEndings("; ")})")));
        var provenance = new LabelErrorWeightsProvenance(
            string.Create(CultureInfo.InvariantCulture,
                $"logistic regression fitted by `squad-albert label-noise fit` on {fitted} of {database}, model {first.ModelPath}; " +
                $"positives: the errors planted by {string.Join(", ", sources.Select(s => $"{s.Path} (seed {s.Seed})"))}"),
            StoredTime.ToText(fittedAt), database, first.Id, first.ModelPath, DataFilesOf(runs.Select(r => r.Run)), sources,
            0, 0, 0, byKind, l2, 0, false);
        return LabelErrorWeights.Fit([.. runs.SelectMany(r => r.Samples).Select(s => s.Label.Components!)], kinds, l2, provenance,
            [.. runs.SelectMany((r, index) => r.Samples.Select(_ => index))]);
    }

    /// <summary>The runs' data files as one JSON array (each run stores its own array), in order, each once.</summary>
    private static string DataFilesOf(IEnumerable<RunInfo> runs) =>
        JsonSerializer.Serialize(runs.SelectMany(r => JsonSerializer.Deserialize<string[]>(r.DataFiles) ?? []).Distinct(StringComparer.Ordinal).ToArray());
}
