using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Tests.Model;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelErrorWeightsTests
{
    private static readonly LabelErrorWeightsProvenance Provenance = new(
        "test", null, null, null, null, null, [], 0, 0, 0, new Dictionary<string, int>(), 1, 0, false);

    /// <summary>One head: loss standardised by mean 1 and scale 2 with weight 0.5; a repeated gold text with weight 1; intercept −1.</summary>
    private static readonly LabelErrorHead FirstGold = new(LabelErrorHeads.FirstGold, ["moved"],
        [new LabelErrorWeight("loss", 1, 2, 0.5), new LabelErrorWeight("repeated_gold_text", 0, 1, 1)], -1);

    private static readonly LabelErrorWeights TwoFeatures = new(LabelErrorWeights.CurrentFormat, [FirstGold], Provenance);

    [Fact]
    public void Probability_is_the_logistic_of_the_standardised_features_and_unnamed_features_count_nothing()
    {
        // The gold text occurs twice and the reader puts most of its mass elsewhere: an unsettled anchor.
        var components = Components(loss: 3, occurrences: 2, disjointConfidence: 0.9) with { GoldSpanMass = 0.2 };

        // −1 + 0.5·(3 − 1)/2 + 1·(1 − 0)/1 = 0.5; disjoint confidence is not in the file.
        Assert.Equal(0.5, FirstGold.Logit(components), 12);
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
    public void Heads_combine_as_a_noisy_or_and_their_evidence_adds_up()
    {
        var oneAnnotator = new LabelErrorHead(LabelErrorHeads.OneAnnotator, ["disagreeing"], [new LabelErrorWeight("outlier_annotator", 0, 0.5, 2)], -2);
        var weights = TwoFeatures with { Heads = [FirstGold, oneAnnotator] };
        var components = Components(loss: 3, occurrences: 2) with { OutlierAnnotator = 1 };

        // First gold: σ(0.5) as above; one annotator: σ(−2 + 2·(1 − 0)/0.5) = σ(2).
        var expected = 1 - ((1 - LogisticRegression.Sigmoid(0.5)) * (1 - LogisticRegression.Sigmoid(2)));
        Assert.Equal(expected, weights.Probability(components), 12);
        Assert.Equal(new LabelEvidenceWeight(0.5 + 4, 1), weights.Evidence(components));
        // Without an outlier the second head still adds its base rate σ(−2).
        Assert.Equal(1 - ((1 - LogisticRegression.Sigmoid(0.5)) * (1 - LogisticRegression.Sigmoid(-2))), weights.Probability(components with { OutlierAnnotator = 0 }), 12);
        Assert.NotEqual(TwoFeatures.ScoringSha256(), weights.ScoringSha256());
    }

    [Fact]
    public void A_weights_file_round_trips_and_its_scoring_hash_ignores_the_provenance()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "weights.json");
        File.WriteAllText(path, TwoFeatures.ToJson());

        var loaded = LabelErrorWeights.Load(path);

        Assert.Equal(TwoFeatures.ToJson(), loaded.ToJson());
        Assert.Equal(TwoFeatures.ScoringSha256(), (loaded with { Provenance = loaded.Provenance with { Description = "other" } }).ScoringSha256());
        Assert.NotEqual(TwoFeatures.ScoringSha256(), (loaded with { Heads = [FirstGold with { Intercept = 0 }] }).ScoringSha256());
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
        var format = Write("format.json", json.Replace("\"format\": 2", "\"format\": 3", StringComparison.Ordinal));
        var older = Write("older.json", json.Replace("\"format\": 2", "\"format\": 1", StringComparison.Ordinal));
        var otherHead = Write("other-head.json", json.Replace("\"repeated_gold_text\"", "\"outlier_annotator\"", StringComparison.Ordinal));
        var noHead = Write("no-head.json", json.Replace("\"first gold\"", "\"second gold\"", StringComparison.Ordinal));
        var twice = Write("twice.json", json.Replace("\"repeated_gold_text\"", "\"loss\"", StringComparison.Ordinal));
        var missing = Write("missing.json", json.Replace("\"intercept\": -1", "\"intercept_typo\": -1", StringComparison.Ordinal));

        Assert.StartsWith($"{unknown}: heads[0].features[1].name 'colour' is not a feature of the 'first gold' head (known: gold_improbability, loss,",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(unknown)).Message, StringComparison.Ordinal);
        Assert.StartsWith($"{otherHead}: heads[0].features[1].name 'outlier_annotator' is not a feature of the 'first gold' head",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(otherHead)).Message, StringComparison.Ordinal);
        Assert.Equal($"{noHead}: heads[0].name 'second gold' is not a label-error head (known: first gold, one annotator).",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(noHead)).Message);
        Assert.Equal($"{scale}: heads[0].features[0].scale ('loss') must be a finite number > 0, got 0.",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(scale)).Message);
        Assert.Equal($"{format}: format 3 is not one this SquadAlbert reads (format 2).", Assert.Throws<InputException>(() => LabelErrorWeights.Load(format)).Message);
        Assert.Equal($"{older}: format 1 is not one this SquadAlbert reads (format 2); fit the weights again with `squad-albert label-noise fit`.",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(older)).Message);
        Assert.Equal($"{twice}: heads[0].features[1].name 'loss' appears twice.", Assert.Throws<InputException>(() => LabelErrorWeights.Load(twice)).Message);
        Assert.StartsWith($"{missing}: not a label-error weights file:", Assert.Throws<InputException>(() => LabelErrorWeights.Load(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("intercept", Assert.Throws<InputException>(() => LabelErrorWeights.Load(missing)).Message, StringComparison.Ordinal);
        Assert.Equal($"label-error weights file '{Path.Combine(folder, "none.json")}' does not exist.",
            Assert.Throws<InputException>(() => LabelErrorWeights.Load(Path.Combine(folder, "none.json"))).Message);
    }

    [Fact]
    public void The_default_weights_load_from_the_assembly_and_name_every_feature()
    {
        var weights = LabelErrorWeights.Default;

        Assert.Equal(LabelErrorHeads.All.Select(h => h.Name), weights.Heads.Select(h => h.Name));
        foreach (var head in weights.Heads)
        {
            Assert.Equal(LabelErrorHeads.Find(head.Name)!.Features.Select(f => f.Name), head.Features.Select(f => f.Name));
        }
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
        var planted = new List<LabelNoiseKind?>();
        for (var i = 0; i < 400; i++)
        {
            var wrong = i % 10 == 0;
            // Planted errors have a high loss; the repeated-gold flag is noise; the neighbour share is constant.
            samples.Add(Components(loss: (wrong ? 4 : 1) + random.NextDouble(), occurrences: random.Next(1, 3)));
            planted.Add(wrong ? LabelNoiseKind.Moved : null);
        }

        var weights = LabelErrorWeights.Fit(samples, planted, l2: 1, Provenance);

        // No disagreeing annotator was planted, so only the first-gold head is fitted.
        var head = Assert.Single(weights.Heads);
        Assert.Equal(LabelErrorHeads.FirstGold, head.Name);
        Assert.Equal(["moved", "shifted", "swapped"], head.Kinds);
        Assert.Equal(LabelErrorHeads.Find(LabelErrorHeads.FirstGold)!.Features.Select(f => f.Name), head.Features.Select(f => f.Name));
        var loss = head.Features.Single(f => f.Name == "loss");
        Assert.Equal(samples.Average(s => s.Loss), loss.Mean, 12);
        Assert.Equal(Math.Sqrt(samples.Average(s => Math.Pow(s.Loss - loss.Mean, 2))), loss.Scale, 12);
        Assert.True(loss.Coefficient > 1, $"loss coefficient {loss.Coefficient}");
        var constant = head.Features.Single(f => f.Name == "neighbour_type_disagreement");
        Assert.Equal((0.0, 1.0, 0.0), (constant.Mean, constant.Scale, constant.Coefficient));
        Assert.Equal((400, 40, 360, 1.0, true), (weights.Provenance.Samples, weights.Provenance.Positives, weights.Provenance.Negatives,
            weights.Provenance.L2, weights.Provenance.Converged));
        Assert.True(samples.Where((_, i) => planted[i] is not null).Average(weights.Probability) > 0.5);
        Assert.True(samples.Where((_, i) => planted[i] is null).Average(weights.Probability) < 0.1);
    }

    [Fact]
    public void Each_head_learns_from_its_own_kinds_and_leaves_the_others_out()
    {
        var random = new Random(5);
        var samples = new List<LabelErrorComponents>();
        var planted = new List<LabelNoiseKind?>();
        for (var i = 0; i < 600; i++)
        {
            LabelNoiseKind? kind = (i % 10) switch { 0 => LabelNoiseKind.Moved, 1 => LabelNoiseKind.Disagreeing, _ => null };
            var outlier = kind == LabelNoiseKind.Disagreeing ? 0.8 + (0.2 * random.NextDouble()) : random.NextDouble() < 0.05 ? random.NextDouble() : 0;
            samples.Add(Components(loss: (kind == LabelNoiseKind.Moved ? 4 : 1) + random.NextDouble(), occurrences: 1) with { OutlierAnnotator = outlier });
            planted.Add(kind);
        }

        var weights = LabelErrorWeights.Fit(samples, planted, l2: 1, Provenance);

        Assert.Equal([LabelErrorHeads.FirstGold, LabelErrorHeads.OneAnnotator], weights.Heads.Select(h => h.Name));
        var firstGold = weights.Heads[0];
        var oneAnnotator = weights.Heads[1];
        Assert.Equal(["disagreeing"], oneAnnotator.Kinds);
        // The first-gold head never saw the disagreeing samples, the one-annotator head never the moved ones.
        Assert.Equal(samples.Where((_, i) => planted[i] != LabelNoiseKind.Disagreeing).Average(s => s.Loss), firstGold.Features.Single(f => f.Name == "loss").Mean, 12);
        Assert.Equal(samples.Where((_, i) => planted[i] != LabelNoiseKind.Moved).Average(s => s.OutlierAnnotator),
            oneAnnotator.Features.Single(f => f.Name == "outlier_annotator").Mean, 12);
        Assert.True(oneAnnotator.Features.Single(f => f.Name == "outlier_annotator").Coefficient > 1);
        Assert.True(samples.Where((_, i) => planted[i] == LabelNoiseKind.Disagreeing).Average(weights.Probability) > 0.5);
        Assert.True(samples.Where((_, i) => planted[i] is null).Average(weights.Probability) < 0.1);
    }

    [Fact]
    public void A_share_scales_its_heads_term_and_share_one_keeps_the_old_hash()
    {
        var oneAnnotator = new LabelErrorHead(LabelErrorHeads.OneAnnotator, ["disagreeing"], [new LabelErrorWeight("outlier_annotator", 0, 0.5, 2)], -2);
        var full = TwoFeatures with { Heads = [FirstGold, oneAnnotator] };
        var shared = TwoFeatures with { Heads = [FirstGold, oneAnnotator with { Share = 0.05 }] };
        var components = Components(loss: 3, occurrences: 2) with { OutlierAnnotator = 1 };

        Assert.Equal(1 - ((1 - LogisticRegression.Sigmoid(0.5)) * (1 - (0.05 * LogisticRegression.Sigmoid(2)))), shared.Probability(components), 12);
        Assert.Equal(full.ScoringSha256(), (TwoFeatures with { Heads = [FirstGold, oneAnnotator with { Share = 1 }] }).ScoringSha256());
        Assert.NotEqual(full.ScoringSha256(), shared.ScoringSha256());
        // Round trip; a file written before shares (no "share" field) reads as share 1.
        var folder = TinyEncoders.TempDirectory();
        var path = Path.Combine(folder, "shared.json");
        File.WriteAllText(path, shared.ToJson());
        Assert.Equal(0.05, LabelErrorWeights.Load(path).Heads[1].Share);
        var older = Path.Combine(folder, "older.json");
        File.WriteAllText(older, full.ToJson().Replace(",\n      \"share\": 1", "", StringComparison.Ordinal));
        Assert.DoesNotContain("share", File.ReadAllText(older), StringComparison.Ordinal);
        Assert.All(LabelErrorWeights.Load(older).Heads, h => Assert.Equal(1, h.Share));
        var zero = Path.Combine(folder, "zero.json");
        File.WriteAllText(zero, shared.ToJson().Replace("\"share\": 0.05", "\"share\": 0", StringComparison.Ordinal));
        Assert.Equal($"{zero}: heads[1].share must be a number in (0, 1], got 0.", Assert.Throws<InputException>(() => LabelErrorWeights.Load(zero)).Message);
    }

    [Fact]
    public void The_share_is_the_largest_that_keeps_every_planted_kind_ranked_at_least_as_well_as_by_the_loss()
    {
        var oneAnnotator = new LabelErrorHead(LabelErrorHeads.OneAnnotator, ["disagreeing"], [new LabelErrorWeight("outlier_annotator", 0, 0.5, 2)], -2);
        var samples = new List<LabelErrorComponents>();
        var planted = new List<LabelNoiseKind?>();
        void Add(int count, double loss, double outlier, LabelNoiseKind? kind)
        {
            for (var i = 0; i < count; i++)
            {
                samples.Add(Components(loss, occurrences: 1) with { OutlierAnnotator = outlier });
                planted.Add(kind);
            }
        }
        // Moved golds: loss 3, first head σ(−0.5) = 0.378. Clean questions: loss 1, σ(−1) = 0.269. The loss ranks every moved
        // gold first (AUC 1). Disagreeing annotators and some clean questions have an outlier annotator: σ(2) = 0.881.
        Add(10, 3, 0, LabelNoiseKind.Moved);
        Add(10, 1, 1, LabelNoiseKind.Disagreeing);
        Add(80, 1, 0, null);

        // Without clean outliers any share keeps the moved golds first.
        Assert.Equal(1, LabelErrorWeights.ChooseShare([FirstGold], oneAnnotator, samples, planted));

        Add(20, 1, 1, null);
        // A clean outlier outranks a moved gold when 0.731·(1 − 0.881·s) < 0.622·(1 − 0.119·s), i.e. s > 0.191: 0.2 is too
        // much, 0.1 the largest share on the grid that keeps the moved AUC at the loss's.
        Assert.Equal(0.1, LabelErrorWeights.ChooseShare([FirstGold], oneAnnotator, samples, planted));
    }

    [Fact]
    public void Fit_needs_both_classes_and_a_positive_penalty()
    {
        LabelErrorComponents[] samples = [Components(1, 1), Components(2, 1)];

        Assert.Contains("0 of the 2 samples are planted", Assert.Throws<InputException>(() => LabelErrorWeights.Fit(samples, [null, null], 1, Provenance)).Message,
            StringComparison.Ordinal);
        Assert.Contains("must be a finite number > 0", Assert.Throws<InputException>(() => LabelErrorWeights.Fit(samples, [LabelNoiseKind.Moved, null], 0, Provenance)).Message,
            StringComparison.Ordinal);
    }

    internal static LabelErrorComponents Components(double loss, int occurrences, double disjointConfidence = 0) =>
        new(loss, loss, disjointConfidence, 0, 0, occurrences, 0.5, 0, 0, 0, 0);
}
