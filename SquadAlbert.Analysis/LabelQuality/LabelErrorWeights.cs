using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>A planted-noise manifest a fit took its positives from, and the seed that planted them.</summary>
public sealed record LabelNoiseSource(string Path, ulong Seed);

/// <summary>One feature of a weights file: how it is standardised and how much it counts.</summary>
/// <param name="Name">A <see cref="LabelErrorFeatures"/> name.</param>
/// <param name="Mean">Its mean on the fit's samples.</param>
/// <param name="Scale">Its standard deviation there (1 for a feature that was constant), &gt; 0.</param>
/// <param name="Coefficient">Its weight on the standardised value (x − mean) / scale.</param>
public sealed record LabelErrorWeight(string Name, double Mean, double Scale, double Coefficient);

/// <summary>Where a set of weights comes from, so a weights file says what it was fitted on.</summary>
/// <param name="Description">One line for people: what the fit is and how far to trust it.</param>
/// <param name="RunId">The corrupted run fitted on; null for weights not fitted by <c>label-noise fit</c>.</param>
/// <param name="Model">The run's model folder.</param>
/// <param name="DataFiles">The run's data files (JSON array as stored with the run).</param>
/// <param name="Manifests">The planted-noise manifests whose errors were the positives, each with its seed.</param>
/// <param name="PositivesByKind">Planted errors per corruption kind among the fitted samples.</param>
/// <param name="L2">The penalty λ of <see cref="LogisticRegression"/>.</param>
public sealed record LabelErrorWeightsProvenance(
    string Description, string? FittedAt, string? Database, long? RunId, string? Model, string? DataFiles, IReadOnlyList<LabelNoiseSource> Manifests,
    int Samples, int Positives, int Negatives, IReadOnlyDictionary<string, int> PositivesByKind, double L2, int Iterations, bool Converged);

/// <summary>One logistic regression of the learned score: the planted kinds it learned to find and its weights.</summary>
/// <param name="Name">A <see cref="LabelErrorHeads"/> name.</param>
/// <param name="Kinds">The corruption kinds that were its positives (see <see cref="LabelNoisePlanter.Name"/>).</param>
/// <param name="Features">Its features; features of the head the file does not name count 0, so an older file keeps
/// working after a feature is added.</param>
/// <param name="Share">How much of its probability enters the combined score, in (0, 1]: 1 − Πₕ (1 − shareₕ·σ(logitₕ)). The
/// first head's is 1; another head's is chosen by <see cref="LabelErrorWeights.Fit"/> (a file without it: 1).</param>
public sealed record LabelErrorHead(string Name, IReadOnlyList<string> Kinds, IReadOnlyList<LabelErrorWeight> Features, double Intercept, double Share = 1)
{
    /// <summary>This head's term of the combined score, share·σ(logit).</summary>
    public double Probability(LabelErrorComponents components) => Share * LogisticRegression.Sigmoid(Logit(components));

    /// <summary>The head's logit, intercept + Σ coefficientⱼ·(xⱼ − meanⱼ)/scaleⱼ (its probability is σ of it).</summary>
    public double Logit(LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var logit = Intercept;
        foreach (var (weight, feature) in Resolved())
        {
            logit += Contribution(weight, feature.Value(components));
        }
        return logit;
    }

    /// <summary>The positive contributions to the logit, summed per <see cref="LabelEvidence"/>.</summary>
    public LabelEvidenceWeight Evidence(LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        double wrong = 0, ambiguity = 0;
        foreach (var (weight, feature) in Resolved())
        {
            var contribution = Math.Max(0, Contribution(weight, feature.Value(components)));
            if (feature.Evidence == LabelEvidence.Wrong)
            {
                wrong += contribution;
            }
            else
            {
                ambiguity += contribution;
            }
        }
        return new LabelEvidenceWeight(wrong, ambiguity);
    }

    private static double Contribution(LabelErrorWeight weight, double value) => weight.Coefficient * (value - weight.Mean) / weight.Scale;

    /// <summary>The library's feature for each weight (looked up per call rather than cached in the record, where
    /// <c>with</c> would copy a stale cache).</summary>
    private IEnumerable<(LabelErrorWeight Weight, LabelErrorFeature Feature)> Resolved() =>
        Features.Select((f, i) => (f, LabelErrorFeatures.Find(f.Name) ?? throw new InvalidOperationException($"{Name}: features[{i}]: unknown feature '{f.Name}'.")));
}

/// <summary>
/// The learned label-error score: one logistic regression per way a label goes wrong (<see cref="LabelErrorHeads"/>:
/// the first gold, the one the reader trains on, is wrong; or one annotator of several is), each over its standardised
/// <see cref="LabelErrorFeatures"/>, combined as P(wrong label) = 1 − Πₕ (1 − σ(logitₕ)), in [0, 1]. Separate heads,
/// because the evidence differs: a wrong first gold shows in the reader's loss, a wrong second annotator does not, and
/// one regression over both lets the loss-free positives blur the loss-driven ones (measured: one regression over every
/// kind ranked moved spans below the loss alone). <see cref="Fit"/> learns each head from a corrupted run (its kinds'
/// planted errors are the positives, the untouched questions the negatives, other kinds left out). A weights file holds
/// the heads and the fit's <see cref="Provenance"/>. The library's default is the embedded resource
/// <see cref="DefaultResource"/> — the only place the shipped weights live: replacing that file (e.g. with the output
/// of <c>squad-albert label-noise fit</c>) replaces the default score.
/// </summary>
public sealed record LabelErrorWeights(int Format, IReadOnlyList<LabelErrorHead> Heads, LabelErrorWeightsProvenance Provenance)
{
    /// <summary>The weights file format this version reads and writes (1 was a single regression over every kind).</summary>
    public const int CurrentFormat = 2;

    /// <summary>The shipped default weights, beside this file in the source tree and embedded in the assembly.</summary>
    public const string DefaultResource = "SquadAlbert.Analysis.LabelQuality.DefaultLabelErrorWeights.json";

    private const string Role = "label-error weights";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<LabelErrorWeights> DefaultWeights = new(LoadDefault);

    /// <summary>The weights the library ships (<see cref="DefaultResource"/>).</summary>
    public static LabelErrorWeights Default => DefaultWeights.Value;

    /// <summary>P(the gold label is wrong in one of the heads' ways), in [0, 1].</summary>
    public double Probability(LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var right = 1.0;
        foreach (var head in Heads)
        {
            right *= 1 - head.Probability(components);
        }
        return Math.Clamp(1 - right, 0, 1);
    }

    /// <summary>The positive contributions to the heads' logits, summed per <see cref="LabelEvidence"/>.</summary>
    public LabelEvidenceWeight Evidence(LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        double wrong = 0, ambiguity = 0;
        foreach (var head in Heads)
        {
            var evidence = head.Evidence(components);
            wrong += evidence.Wrong;
            ambiguity += evidence.Ambiguity;
        }
        return new LabelEvidenceWeight(wrong, ambiguity);
    }

    /// <summary>A SHA-256 of what the score depends on (features, means, scales, coefficients, intercept), not of the
    /// provenance: the latent stage recomputes the scores when it changes.</summary>
    public string ScoringSha256()
    {
        var text = string.Join('|', Heads.Select(head =>
            head.Name + ";" + string.Join(';', head.Features.Select(f => FormattableString.Invariant($"{f.Name}:{f.Mean:R}:{f.Scale:R}:{f.Coefficient:R}")))
            + FormattableString.Invariant($";intercept:{head.Intercept:R}")
            // A share of 1 adds nothing, so files from before shares keep their hash (and their stored scores).
            + (head.Share == 1 ? "" : FormattableString.Invariant($";share:{head.Share:R}"))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <exception cref="InputException">The file is missing, not JSON, or a field is missing or wrong (named with its position).</exception>
    public static LabelErrorWeights Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = JsonInputFile.ReadAllBytes(path, Role);
        return Parse(Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith(JsonInputFile.Utf8Bom) ? 3 : 0)), path);
    }

    /// <param name="source">Names the weights in errors: a path, or the resource name.</param>
    /// <exception cref="InputException">Not JSON, or a field is missing or wrong (named with its position).</exception>
    public static LabelErrorWeights Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        LabelErrorWeights? weights;
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out var format)
                    && format.ValueKind == JsonValueKind.Number && format.TryGetInt32(out var number) && number != CurrentFormat)
                {
                    throw new InputException($"{source}: format {number} is not one this SquadAlbert reads (format {CurrentFormat})" +
                                             (number < CurrentFormat ? "; fit the weights again with `squad-albert label-noise fit`." : "."));
                }
            }
            weights = JsonSerializer.Deserialize<LabelErrorWeights>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InputException($"{source}: not a {Role} file: {ex.Message}", ex);
        }
        if (weights is null)
        {
            throw new InputException($"{source}: not a {Role} file: the value is null.");
        }
        weights.Validate(source);
        return weights;
    }

    /// <summary>
    /// Fits each head of <see cref="LabelErrorHeads.All"/> on scored samples: the samples planted with one of its kinds are
    /// its positives, the unplanted ones its negatives, the others left out; each feature is standardised by its mean and
    /// standard deviation over the head's samples, then <see cref="LogisticRegression.Fit"/> with penalty <paramref name="l2"/>.
    /// A head none of whose kinds was planted (train has one answer per question, so no disagreeing annotator) is left
    /// out of the weights, which then score without it.
    /// </summary>
    /// <param name="planted">The kind planted in each sample; null for an untouched one.</param>
    /// <param name="provenance">What the fit is of; its counts, λ and convergence are filled in here.</param>
    /// <param name="groups">Which corrupted run each sample comes from (null: one run); a head's share is chosen on the runs
    /// in which its kinds were planted (<see cref="ChooseShare"/>).</param>
    /// <exception cref="InputException">No planted or no clean sample, or λ ≤ 0.</exception>
    public static LabelErrorWeights Fit(IReadOnlyList<LabelErrorComponents> samples, IReadOnlyList<LabelNoiseKind?> planted, double l2, LabelErrorWeightsProvenance provenance,
        IReadOnlyList<int>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(planted);
        ArgumentNullException.ThrowIfNull(provenance);
        if (samples.Count != planted.Count)
        {
            throw new ArgumentException($"{samples.Count} samples but {planted.Count} labels.", nameof(planted));
        }
        var positives = planted.Count(p => p is not null);
        if (positives == 0 || positives == samples.Count)
        {
            throw new InputException($"A fit needs planted errors and clean questions; {positives} of the {samples.Count} samples are planted.");
        }
        if (!(l2 > 0) || double.IsInfinity(l2))
        {
            throw new InputException($"The L2 penalty must be a finite number > 0 (standardised features; 1 is a good start), got {l2}.");
        }
        var heads = new List<LabelErrorHead>();
        var iterations = 0;
        var converged = true;
        foreach (var definition in LabelErrorHeads.All)
        {
            var members = Enumerable.Range(0, samples.Count).Where(i => planted[i] is not { } kind || definition.Kinds.Contains(kind)).ToArray();
            var labels = members.Select(i => planted[i] is not null).ToArray();
            if (!labels.Any(l => l))
            {
                continue;
            }
            var features = definition.Features;
            var raw = members.Select(i => features.Select(f => f.Value(samples[i])).ToArray()).ToList();
            var means = new double[features.Count];
            var scales = new double[features.Count];
            for (var j = 0; j < features.Count; j++)
            {
                var column = raw.Select(row => row[j]).ToArray();
                means[j] = column.Average();
                var deviation = Math.Sqrt(column.Average(v => (v - means[j]) * (v - means[j])));
                // A constant feature carries nothing; scale 1 keeps its standardised value at 0 and its coefficient at 0.
                scales[j] = deviation > 1e-12 ? deviation : 1;
            }
            var standardised = raw.Select(row => row.Select((v, j) => (v - means[j]) / scales[j]).ToArray()).ToList();
            var fit = LogisticRegression.Fit(standardised, labels, l2);
            iterations += fit.Iterations;
            converged &= fit.Converged;
            var head = new LabelErrorHead(definition.Name, [.. definition.Kinds.Select(LabelNoisePlanter.Name)],
                [.. features.Select((f, j) => new LabelErrorWeight(f.Name, means[j], scales[j], fit.Coefficients[j]))], fit.Intercept);
            if (heads.Count > 0)
            {
                var plantedGroups = Enumerable.Range(0, samples.Count).Where(i => planted[i] is { } kind && definition.Kinds.Contains(kind))
                    .Select(i => groups?[i] ?? 0).ToHashSet();
                var calibration = Enumerable.Range(0, samples.Count).Where(i => plantedGroups.Contains(groups?[i] ?? 0)).ToArray();
                head = head with { Share = ChooseShare(heads, head, [.. calibration.Select(i => samples[i])], [.. calibration.Select(i => planted[i])]) };
            }
            heads.Add(head);
        }
        return new LabelErrorWeights(CurrentFormat, heads, provenance with
        {
            Samples = samples.Count, Positives = positives, Negatives = samples.Count - positives, L2 = l2, Iterations = iterations, Converged = converged,
        });
    }

    /// <summary>The shares <see cref="ChooseShare"/> tries, largest first.</summary>
    public static IReadOnlyList<double> ShareGrid { get; } = [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01];

    /// <summary>
    /// The share of <paramref name="head"/> beside the <paramref name="earlier"/> heads: the largest of <see cref="ShareGrid"/> at
    /// which, on <paramref name="samples"/>, the combined score still ranks every planted kind at least as well (ROC AUC) as
    /// the loss does — the goal the score is held to; when no share keeps that, the one with the largest smallest margin.
    /// Why a share at all: a head's probability adds to every question's score, so a head for one annotator of several
    /// (whose evidence real dev questions show too, without any error planted) lifts clean questions above the faint cases
    /// of the first gold's kinds (measured: at share 1 the swapped-entity AUC fell below the loss's).
    /// </summary>
    /// <param name="samples">Questions that can show the head's kinds (the runs in which they were planted).</param>
    public static double ChooseShare(IReadOnlyList<LabelErrorHead> earlier, LabelErrorHead head, IReadOnlyList<LabelErrorComponents> samples, IReadOnlyList<LabelNoiseKind?> planted)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(planted);
        var before = samples.Select(c => earlier.Aggregate(1.0, (right, h) => right * (1 - h.Probability(c)))).ToArray();
        var own = samples.Select(c => LogisticRegression.Sigmoid(head.Logit(c))).ToArray();
        var loss = samples.Select(c => c.Loss).ToArray();
        var kinds = planted.OfType<LabelNoiseKind>().Distinct().Order().ToArray();
        var best = (Share: ShareGrid[^1], Margin: double.NegativeInfinity);
        foreach (var share in ShareGrid)
        {
            var score = before.Select((right, i) => 1 - right * (1 - share * own[i])).ToArray();
            var margin = double.PositiveInfinity;
            foreach (var kind in kinds)
            {
                var members = Enumerable.Range(0, samples.Count).Where(i => planted[i] is null || planted[i] == kind).ToArray();
                var labels = members.Select(i => planted[i] == kind).ToArray();
                var difference = RankingMetrics.RocAuc([.. members.Select(i => score[i])], labels) - RankingMetrics.RocAuc([.. members.Select(i => loss[i])], labels);
                if (!double.IsNaN(difference))
                {
                    margin = Math.Min(margin, difference);
                }
            }
            if (margin >= 0)
            {
                return share;
            }
            if (margin > best.Margin)
            {
                best = (share, margin);
            }
        }
        return best.Share;
    }

    private void Validate(string source)
    {
        if (Format != CurrentFormat)
        {
            throw new InputException($"{source}: format {Format} is not one this SquadAlbert reads (format {CurrentFormat}).");
        }
        if (Heads is null || Heads.Count == 0)
        {
            throw new InputException($"{source}: 'heads' is missing or empty.");
        }
        if (Provenance is null || Provenance.Manifests is null || Provenance.PositivesByKind is null)
        {
            throw new InputException($"{source}: 'provenance' (with 'manifests' and 'positives_by_kind') is missing.");
        }
        var heads = new HashSet<string>(StringComparer.Ordinal);
        for (var h = 0; h < Heads.Count; h++)
        {
            var head = Heads[h] ?? throw new InputException($"{source}: heads[{h}] is null.");
            var at = $"{source}: heads[{h}]";
            if (LabelErrorHeads.Find(head.Name) is not { } definition)
            {
                throw new InputException($"{at}.name '{head.Name}' is not a label-error head (known: {string.Join(", ", LabelErrorHeads.All.Select(d => d.Name))}).");
            }
            if (!heads.Add(head.Name))
            {
                throw new InputException($"{at}.name '{head.Name}' appears twice.");
            }
            if (head.Features is null || head.Features.Count == 0)
            {
                throw new InputException($"{at}.features is missing or empty.");
            }
            if (!double.IsFinite(head.Intercept))
            {
                throw new InputException($"{at}.intercept must be a finite number.");
            }
            if (!(head.Share > 0 && head.Share <= 1))
            {
                throw new InputException($"{at}.share must be a number in (0, 1], got {head.Share}.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < head.Features.Count; i++)
            {
                var feature = head.Features[i] ?? throw new InputException($"{at}.features[{i}] is null.");
                if (!definition.Features.Any(f => f.Name == feature.Name))
                {
                    throw new InputException($"{at}.features[{i}].name '{feature.Name}' is not a feature of the '{head.Name}' head " +
                                             $"(known: {string.Join(", ", definition.Features.Select(f => f.Name))}).");
                }
                if (!seen.Add(feature.Name))
                {
                    throw new InputException($"{at}.features[{i}].name '{feature.Name}' appears twice.");
                }
                if (!double.IsFinite(feature.Mean) || !double.IsFinite(feature.Coefficient))
                {
                    throw new InputException($"{at}.features[{i}] ('{feature.Name}'): mean and coefficient must be finite numbers.");
                }
                if (!(feature.Scale > 0) || !double.IsFinite(feature.Scale))
                {
                    throw new InputException($"{at}.features[{i}].scale ('{feature.Name}') must be a finite number > 0, got {feature.Scale}.");
                }
            }
        }
    }

    private static LabelErrorWeights LoadDefault()
    {
        using var stream = typeof(LabelErrorWeights).Assembly.GetManifestResourceStream(DefaultResource)
                           ?? throw new InvalidOperationException($"The assembly has no resource {DefaultResource}; is it embedded in SquadAlbert.Analysis.csproj?");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), DefaultResource);
    }
}
