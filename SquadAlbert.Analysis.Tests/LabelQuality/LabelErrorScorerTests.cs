using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelErrorScorerTests
{
    private const string Context = "The treaty was signed in 1648 in Westphalia. Peace returned to the Empire. Westphalia prospered after 1648.";

    [Fact]
    public void Gold_probability_is_the_product_of_start_and_end_probabilities()
    {
        Assert.Equal(0.5 * 0.25, LabelErrorScorer.GoldProbability(-Math.Log(0.5), -Math.Log(0.25)), 12);
        Assert.Equal(1.0, LabelErrorScorer.GoldProbability(0, 0));
    }

    [Fact]
    public void Disjoint_confidence_counts_only_disjoint_predictions()
    {
        Assert.Equal(0.8, LabelErrorScorer.Score(Input(relation: "disjoint", probability: 0.8)).DisjointConfidence);
        Assert.Equal(0.0, LabelErrorScorer.Score(Input(relation: "overlap", probability: 0.8)).DisjointConfidence);
        Assert.Equal(0.0, LabelErrorScorer.Score(Input(relation: "exact", probability: 0.8)).DisjointConfidence);
    }

    [Fact]
    public void Gold_disagreement_is_one_minus_mean_pairwise_f1()
    {
        Assert.Equal(0.0, LabelErrorScorer.GoldDisagreement(["1648"]));
        Assert.Equal(0.0, LabelErrorScorer.GoldDisagreement(["The 1648", "1648", "1648."]), 12);
        Assert.Equal(1.0, LabelErrorScorer.GoldDisagreement(["1648", "Westphalia"]), 12);
        // F1("the treaty signed", "treaty") = 2·(1/2·1)/(1/2 + 1) = 2/3 ("the" is dropped by the normalisation).
        Assert.Equal(1.0 / 3, LabelErrorScorer.GoldDisagreement(["the treaty signed", "treaty"]), 12);
    }

    [Fact]
    public void Answer_occurrences_count_every_place_the_first_gold_appears()
    {
        Assert.Equal(2, LabelErrorScorer.Occurrences(Context, "1648"));
        Assert.Equal(2, LabelErrorScorer.Occurrences(Context, "Westphalia"));
        Assert.Equal(1, LabelErrorScorer.Occurrences(Context, "Peace"));
        Assert.Equal(0, LabelErrorScorer.Occurrences(Context, "1649"));
        Assert.Equal(3, LabelErrorScorer.Occurrences("aaaa", "aa"));
        Assert.Equal(2, LabelErrorScorer.Score(Input(golds: ["1648", "Peace"])).AnswerOccurrences);
    }

    [Fact]
    public void Score_is_the_documented_weighted_sum()
    {
        var scores = LabelErrorScorer.Score(Input(lossStart: -Math.Log(0.5), lossEnd: 0, relation: "disjoint", probability: 0.6, distance: 100,
            golds: ["1648", "Westphalia"]));

        var expected = (LabelErrorScorer.GoldImprobabilityWeight * 0.5) + (LabelErrorScorer.DisjointConfidenceWeight * 0.6)
                       + (LabelErrorScorer.DistanceWeight * 0.5) + (LabelErrorScorer.DisagreementWeight * 1) + LabelErrorScorer.AmbiguousAnchorWeight;
        Assert.Equal(expected, scores.Score, 12);
        Assert.Equal(1.0, LabelErrorScorer.GoldImprobabilityWeight + LabelErrorScorer.DisjointConfidenceWeight + LabelErrorScorer.DistanceWeight
                          + LabelErrorScorer.DisagreementWeight + LabelErrorScorer.AmbiguousAnchorWeight, 12);
        Assert.Equal(0.0, LabelErrorScorer.Score(Input(golds: ["Peace"])).Score, 12);
    }

    [Fact]
    public void Planted_wrong_spans_rank_on_top()
    {
        var random = new Random(5);
        var inputs = new List<(string Kind, LabelErrorInput Input)>();
        // A model of moderate quality on correct labels: mostly right, sometimes overlapping, sometimes unsure and wrong.
        for (var i = 0; i < 60; i++)
        {
            var relation = (i % 6) switch { 0 => "overlap", 1 => "disjoint", _ => "exact" };
            var probability = relation == "disjoint" ? 0.15 + (0.2 * random.NextDouble()) : 0.5 + (0.4 * random.NextDouble());
            var loss = relation == "exact" ? 0.3 * random.NextDouble() : 0.5 + random.NextDouble();
            inputs.Add(("clean", Input(lossStart: loss, lossEnd: loss, relation: relation, probability: probability,
                distance: relation == "disjoint" ? random.Next(0, 60) : 0, golds: ["Peace"])));
        }
        // Wrong gold spans: the model is confident of another span and finds the annotated one improbable.
        for (var i = 0; i < 4; i++)
        {
            inputs.Add(("planted", Input(lossStart: 4 + random.NextDouble(), lossEnd: 4 + random.NextDouble(), relation: "disjoint",
                probability: 0.8 + (0.15 * random.NextDouble()), distance: 40 + random.Next(0, 80), golds: ["Peace"])));
        }

        var ranked = inputs.OrderByDescending(item => LabelErrorScorer.Score(item.Input).Score).Select(item => item.Kind).ToList();

        Assert.Equal(["planted", "planted", "planted", "planted"], ranked.Take(4));
    }

    private static LabelErrorInput Input(double lossStart = 0, double lossEnd = 0, string relation = "exact", double probability = 0.9,
        int? distance = 0, IReadOnlyList<string>? golds = null) =>
        new(lossStart, lossEnd, relation, probability, distance, golds ?? ["Peace"], Context);
}
