using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelErrorComponentsTests
{
    //                       0         1         2         3         4         5         6         7         8         9         10
    //                       0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345
    private const string Context = "The treaty was signed in 1648 in Westphalia. Peace returned to the Empire. Westphalia prospered after 1648.";

    [Fact]
    public void Gold_probability_is_the_product_of_start_and_end_probabilities()
    {
        Assert.Equal(0.5 * 0.25, LabelErrorComponents.GoldProbabilityOf(-Math.Log(0.5), -Math.Log(0.25)), 12);
        Assert.Equal(1.0, LabelErrorComponents.GoldProbabilityOf(0, 0));
    }

    [Fact]
    public void Disjoint_confidence_and_distance_count_only_disjoint_predictions()
    {
        Assert.Equal(0.8, LabelErrorComponents.DisjointConfidenceOf("disjoint", 0.8));
        Assert.Equal(0.0, LabelErrorComponents.DisjointConfidenceOf("overlap", 0.8));
        Assert.Equal(0.0, LabelErrorComponents.DisjointConfidenceOf("exact", 0.8));
        Assert.Equal(0.5, LabelErrorComponents.DisjointDistanceOf("disjoint", 100));
        Assert.Equal(1.0, LabelErrorComponents.DisjointDistanceOf("disjoint", 1000));
        Assert.Equal(0.0, LabelErrorComponents.DisjointDistanceOf("disjoint", null));
        Assert.Equal(0.0, LabelErrorComponents.DisjointDistanceOf("overlap", 100));
    }

    [Fact]
    public void Gold_disagreement_is_one_minus_mean_pairwise_f1()
    {
        Assert.Equal(0.0, LabelErrorComponents.GoldDisagreementOf(["1648"]));
        Assert.Equal(0.0, LabelErrorComponents.GoldDisagreementOf(["The 1648", "1648", "1648."]), 12);
        Assert.Equal(1.0, LabelErrorComponents.GoldDisagreementOf(["1648", "Westphalia"]), 12);
        // F1("the treaty signed", "treaty") = 2·(1/2·1)/(1/2 + 1) = 2/3 ("the" is dropped by the normalisation).
        Assert.Equal(1.0 / 3, LabelErrorComponents.GoldDisagreementOf(["the treaty signed", "treaty"]), 12);
    }

    [Fact]
    public void Answer_occurrences_count_every_place_the_text_appears()
    {
        Assert.Equal(2, LabelErrorComponents.Occurrences(Context, "1648"));
        Assert.Equal(2, LabelErrorComponents.Occurrences(Context, "Westphalia"));
        Assert.Equal(1, LabelErrorComponents.Occurrences(Context, "Peace"));
        Assert.Equal(0, LabelErrorComponents.Occurrences(Context, "1649"));
        Assert.Equal(3, LabelErrorComponents.Occurrences("aaaa", "aa"));
        Assert.Equal(0, LabelErrorComponents.Occurrences("aaaa", ""));
    }

    [Fact]
    public void Gold_span_mass_sums_the_n_best_probability_on_spans_that_touch_a_gold()
    {
        GoldAnswer[] golds = [new("1648", 25), new("Westphalia", 33)];
        NBestEntry[] nBest =
        [
            Candidate("Peace", 45, 0.5),                // elsewhere
            Candidate("1648 in", 25, 0.2),              // overlaps the first gold
            Candidate("in Westphalia", 30, 0.15),       // overlaps the second
            Candidate("in", 30, 0.1),                   // between the two golds: touches neither
            Candidate("after 1648", 96, 0.05),          // the gold's text, in another place: not the annotated span
        ];

        Assert.Equal(0.35, LabelErrorComponents.GoldSpanMassOf(nBest, golds), 12);
        Assert.Equal(0.0, LabelErrorComponents.GoldSpanMassOf([], golds));
        // Spans that only meet at an edge share no character.
        Assert.Equal(0.0, LabelErrorComponents.GoldSpanMassOf([Candidate("signed in ", 15, 1)], [new GoldAnswer("1648", 25)]));
    }

    [Fact]
    public void Gold_rank_is_the_first_n_best_answer_matching_a_gold_after_normalisation()
    {
        NBestEntry[] nBest = [Candidate("Peace", 45, 0.5), Candidate("Peace returned", 45, 0.3), Candidate("the Empire.", 63, 0.2)];

        Assert.Equal(0, LabelErrorComponents.GoldRankOf(nBest, ["peace"]));
        Assert.Equal(2, LabelErrorComponents.GoldRankOf(nBest, ["1648", "Empire"]));
        Assert.Null(LabelErrorComponents.GoldRankOf(nBest, ["Westphalia"]));
        Assert.Null(LabelErrorComponents.GoldRankOf([], ["Peace"]));
    }

    [Fact]
    public void Neighbour_type_share_counts_neighbours_of_another_answer_type()
    {
        Assert.Equal(0.75, LabelErrorComponents.NeighbourTypeShare("proper noun", ["year", "year", "proper noun", "date"]));
        Assert.Equal(0.0, LabelErrorComponents.NeighbourTypeShare("year", ["year"]));
        Assert.Equal(0.0, LabelErrorComponents.NeighbourTypeShare("year", []));
    }

    [Fact]
    public void Of_puts_every_component_together()
    {
        var input = new LabelErrorInput("In what year was the treaty signed?", Context, [new GoldAnswer("Westphalia", 33), new GoldAnswer("1648", 25)],
            LossStart: -Math.Log(0.5), LossEnd: 1, Relation: "disjoint", PredictionProbability: 0.6, RelationCharDistance: 100,
            NBest: [Candidate("Peace", 45, 0.6), Candidate("1648", 25, 0.4)]);

        var c = LabelErrorComponents.Of(input, neighbourTypeDisagreement: 0.3);

        Assert.Equal(0.5 * Math.Exp(-1), c.GoldProbability, 12);
        Assert.Equal((-Math.Log(0.5) + 1) / 2, c.Loss, 12);
        Assert.Equal(1, c.BoundaryLoss);
        Assert.Equal(0.6, c.DisjointConfidence);
        Assert.Equal(0.5, c.DisjointDistance);
        Assert.Equal(1.0, c.GoldDisagreement, 12);
        Assert.Equal(2, c.AnswerOccurrences); // "Westphalia", the first gold, is in the context twice
        Assert.Equal(0.4, c.GoldSpanMass, 12);
        Assert.Equal(1, c.GoldNBestRank);
        Assert.Equal(0.5, c.AnswerTypeMismatch); // a "what year" question: "Westphalia" is no year, "1648" is
        Assert.Equal(0.3, c.NeighbourTypeDisagreement);
        Assert.Equal(1.0, c.OutlierAnnotator, 12); // "Westphalia" shares no word with "1648" and has none of the reader's mass
    }

    [Fact]
    public void An_outlier_annotator_shares_no_word_with_the_others_and_none_of_the_readers_mass()
    {
        NBestEntry[] nBest = [Candidate("1648", 25, 0.7), Candidate("Peace", 45, 0.3)];
        GoldAnswer[] agreeing = [new("1648", 25), new("1648", 25), new("in 1648", 22)];
        GoldAnswer[] oneApart = [new("1648", 25), new("1648", 25), new("the Empire", 63)];
        GoldAnswer[] apartButLikely = [new("1648", 25), new("Peace", 45)];

        Assert.Equal(0.0, LabelErrorComponents.OutlierAnnotatorOf([new("1648", 25)], nBest));
        // "in 1648" is closest to "1648" with F1 2/3, and the reader's 0.7 on "1648" overlaps it: (1 − 2/3)·(1 − 0.7).
        Assert.Equal(0.1, LabelErrorComponents.OutlierAnnotatorOf(agreeing, nBest), 12);
        Assert.Equal(1.0, LabelErrorComponents.OutlierAnnotatorOf(oneApart, nBest), 12);
        // Both annotators stand apart from each other; the reader backs "1648" with 0.7 and "Peace" with 0.3, so the
        // less supported one scores 1 − 0.3.
        Assert.Equal(0.7, LabelErrorComponents.OutlierAnnotatorOf(apartButLikely, nBest), 12);
        // Words in common lower it: F1("the treaty signed", "treaty") = 2/3 (see above), without n-best mass 1 − 2/3.
        Assert.Equal(1.0 / 3, LabelErrorComponents.OutlierAnnotatorOf([new("treaty", 4), new("the treaty signed", 0)], []), 12);
    }

    private static NBestEntry Candidate(string text, int start, double probability) =>
        new(text, start, start + text.Length, probability);
}
