using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Tests.Model;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelErrorWeightsTests
{
    private static readonly LabelErrorWeightsProvenance Provenance = new(
        "test", null, null, null, null, null, [], 0, 0, 0, new Dictionary<string, int>(), 1, 0, false);

    /// <summary>loss standardised by mean 1 and scale 2 with weight 0.5; a repeated gold text with weight 1; intercept −1.</summary>
    private static readonly LabelErrorWeights TwoFeatures = new(LabelErrorWeights.CurrentFormat,
        [new LabelErrorWeight("loss", 1, 2, 0.5), new LabelErrorWeight("repeated_gold_text", 0, 1, 1)], -1, Provenance);

    [Fact]
    public void Probability_is_the_logistic_of_the_standardised_features_and_unnamed_features_count_nothing()
    {
        var components = Components(loss: 3, occurrences: 2, disjointConfidence: 0.9);

        // −1 + 0.5·(3 − 1)/2 + 1·(1 − 0)/1 = 0.5; disjoint confidence is not in the file.
        Assert.Equal(0.5, TwoFeatures.Logit(components), 12);
        Assert.Equal(1 / (1 + Math.Exp(-0.5)), TwoFeatures.Probability(components), 12);
        Assert.Equal(new LabelEvidenceWeight(0.5, 1), TwoFeatures.Evidence(components));
        // A loss below the mean pulls the logit down; pulls count nothing as evidence.
        Assert.Equal(new LabelEvidenceWeight(0, 0), TwoFeatures.Evidence(Components(loss: 0, occurrences: 1)));
        var scores = LabelErrorScorer.Score(components, TwoFeatures);
        Assert.Equal(TwoFeatures.Probability(components), scores.Score);
        // P = σ(0.5) ≈ 0.62 is over the threshold, but the gold text occurs twice and that evidence (1) outweighs the loss's (0.5).
        Assert.Equal(LabelKind.Ambiguous, scores.Kind);
    }

    [Fact]
    public void A_weights_file_round_trips_and_its_scoring_hash_ignores_the_provenance()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "weights.json");
        File.WriteAllText(path, TwoFeatures.ToJson());

        var loaded = LabelErrorWeights.Load(path);

        Assert.Equal(TwoFeatures.ToJson(), loaded.ToJson());
        Assert.Equal(TwoFeatures.ScoringSha256(), (loaded with { Provenance = loaded.Provenance with { Description = "other" } }).ScoringSha256());
        Assert.NotEqual(TwoFeatures.ScoringSha256(), (loaded with { Intercept = 0 }).ScoringSha256());
        Assert.Contains("\"positives_by_kind\": {}", loaded.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_weights_file_names_the_file_and_the_field()
    {
        var folder = TinyEncoders.TempDirectory();
        string Write(string name, string json)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, json);
            return path;
        }
        var json = TwoFeatures.ToJson();
        var unknown = Write("unknown.json", json.Replace("\"repeated_gold_text\"", "\"colour\"", StringComparison.Ordinal));
        var scale = Write("scale.json", json.Replace("\"scale\": 2", "\"scale\": 0", StringComparison.Ordinal));
        var format = Write("format.json", json.Replace("\"format\": 1", "\"format\": 2", StringComparison.Ordinal));
        var twice = Write("twice.json", json.Replace("\"repeated_gold_text\"", "\"loss\"", StringComparison.Ordinal));
        var missing = Write("missing.json", json.Replace("\"intercept\": -1,", "", StringComparison.Ordinal));

        Assert.StartsWith($"{unknown}: features[1].name 'colour' is not a label-error feature (known: gold_improbability, loss,",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(unknown)).Message, StringComparison.Ordinal);
        Assert.Equal($"{scale}: features[0].scale ('loss') must be a finite number > 0, got 0.",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(scale)).Message);
        Assert.Equal($"{format}: format 2 is not one this SquadAlbert reads (format 1).", Assert.Throws<InputException>(() => LabelErrorWeights.Load(format)).Message);
        Assert.Equal($"{twice}: features[1].name 'loss' appears twice.", Assert.Throws<InputException>(() => LabelErrorWeights.Load(twice)).Message);
        Assert.StartsWith($"{missing}: not a label-error weights file:", Assert.Throws<InputException>(() => LabelErrorWeights.Load(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("intercept", Assert.Throws<InputException>(() => LabelErrorWeights.Load(missing)).Message, StringComparison.Ordinal);
        Assert.Equal($"label-error weights file '{Path.Combine(folder, "none.json")}' does not exist.",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(Path.Combine(folder, "none.json"))).Message);
    }

    [Fact]
    public void The_default_weights_load_from_the_assembly_and_name_every_feature()
    {
        var weights = LabelErrorWeights.Default;

        Assert.Equal(LabelErrorFeatures.All.Select(f => f.Name), weights.Features.Select(f => f.Name));
        Assert.False(string.IsNullOrWhiteSpace(weights.Provenance.Description));
        Assert.InRange(weights.Probability(Components(loss: 5, occurrences: 1)), 0, 1);
        // The source file beside the code is the embedded one: replacing it is the whole change of default.
        var source = Path.Combine(TestPaths.RepoRoot, "SquadAlbert.Analysis", "LabelQuality", "DefaultLabelErrorWeights.json");
        Assert.Equal(LabelErrorWeights.Load(source).ToJson(), weights.ToJson());
    }

    [Fact]
    public void Fit_standardises_each_feature_and_learns_which_ones_mark_planted_errors()
    {
        var random = new Random(3);
        var samples = new List<LabelErrorComponents>();
        var planted = new List<bool>();
        for (var i = 0; i < 400; i++)
        {
            var wrong = i % 10 == 0;
            // Planted errors have a high loss; the repeated-gold flag is noise; the neighbour share is constant.
            samples.Add(Components(loss: (wrong ? 4 : 1) + random.NextDouble(), occurrences: random.Next(1, 3)));
            planted.Add(wrong);
        }

        var weights = LabelErrorWeights.Fit(samples, planted, l2: 1, Provenance);

        Assert.Equal(LabelErrorFeatures.All.Select(f => f.Name), weights.Features.Select(f => f.Name));
        var loss = weights.Features.Single(f => f.Name == "loss");
        Assert.Equal(samples.Average(s => s.Loss), loss.Mean, 12);
        Assert.Equal(Math.Sqrt(samples.Average(s => Math.Pow(s.Loss - loss.Mean, 2))), loss.Scale, 12);
        Assert.True(loss.Coefficient > 1, $"loss coefficient {loss.Coefficient}");
        var constant = weights.Features.Single(f => f.Name == "neighbour_type_disagreement");
        Assert.Equal((0.0, 1.0, 0.0), (constant.Mean, constant.Scale, constant.Coefficient));
        Assert.Equal((400, 40, 360, 1.0, true), (weights.Provenance.Samples, weights.Provenance.Positives, weights.Provenance.Negatives,
            weights.Provenance.L2, weights.Provenance.Converged));
        Assert.True(samples.Where((_, i) => planted[i]).Average(weights.Probability) > 0.5);
        Assert.True(samples.Where((_, i) => !planted[i]).Average(weights.Probability) < 0.1);
    }

    [Fact]
    public void Fit_needs_both_classes_and_a_positive_penalty()
    {
        LabelErrorComponents[] samples = [Components(1, 1), Components(2, 1)];

        Assert.Contains("0 of the 2 samples are planted", Assert.Throws<InputException>(() => LabelErrorWeights.Fit(samples, [false, false], 1, Provenance)).Message,
            StringComparison.Ordinal);
        Assert.Contains("must be a finite number > 0", Assert.Throws<InputException>(() => LabelErrorWeights.Fit(samples, [true, false], 0, Provenance)).Message,
            StringComparison.Ordinal);
    }

    internal static LabelErrorComponents Components(double loss, int occurrences, double disjointConfidence = 0) =>
        new(loss, loss, disjointConfidence, 0, 0, occurrences, 0.5, 0, 0, 0);
}
