using System.Globalization;
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
    /// <param name="samples">The run's stored label evidence (<see cref="LatentStore.LabelScores"/>).</param>
    /// <param name="manifests">One manifest per corrupted file the run's population drew from (e.g. train-side questions
    /// and dev questions of other titles, so that disagreeing annotators, which train lacks, are learned too), with its path.</param>
    /// <exception cref="InputException">The run is not scored, a manifest has no question in the run or is not of its
    /// corrupted file, two manifests name the same question, or λ ≤ 0.</exception>
    public static LabelErrorWeights Fit(RunInfo run, string database, IReadOnlyList<StoredLabelScores> samples,
        IReadOnlyList<(LabelNoiseManifest Manifest, string Path)> manifests, double l2, DateTimeOffset fittedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(manifests);
        if (manifests.Count == 0)
        {
            throw new InputException("A fit needs at least one label-noise manifest.");
        }
        LabelNoiseEvaluation.RequireScores(run.Id, samples);
        var kinds = new LabelNoiseKind?[samples.Count];
        foreach (var (manifest, path) in manifests)
        {
            var planted = LabelNoiseEvaluation.PlantedIn(run.Id, samples, manifest, path);
            for (var i = 0; i < kinds.Length; i++)
            {
                if (planted.Kinds[i] is not { } kind)
                {
                    continue;
                }
                if (kinds[i] is not null)
                {
                    throw new InputException($"{path}: question '{samples[i].ExampleId}' is planted by an earlier manifest too; give each corrupted file once.");
                }
                kinds[i] = kind;
            }
        }
        var byKind = Enum.GetValues<LabelNoiseKind>().ToDictionary(LabelNoisePlanter.Name, kind => kinds.Count(k => k == kind));
        var sources = manifests.Select(m => new LabelNoiseSource(m.Path, m.Manifest.Seed)).ToList();
        var provenance = new LabelErrorWeightsProvenance(
            string.Create(CultureInfo.InvariantCulture,
                $"logistic regression fitted by `squad-albert label-noise fit` on run {run.Id} ({run.Population.ReplaceLineEndings("; ")}) of {database}, model {run.ModelPath}; " +
                $"positives: the errors planted by {string.Join(", ", sources.Select(s => $"{s.Path} (seed {s.Seed})"))}"),
            StoredTime.ToText(fittedAt), database, run.Id, run.ModelPath, run.DataFiles, sources, 0, 0, 0, byKind, l2, 0, false);
        return LabelErrorWeights.Fit([.. samples.Select(s => s.Label.Components!)], [.. kinds.Select(k => k is not null)], l2, provenance);
    }
}
