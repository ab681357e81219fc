using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelKindTests
{
    private static LabelErrorComponents Components(double disagreement = 0, int occurrences = 1) =>
        new(1, 1, 0, 0, disagreement, occurrences, 0.5, null, 0, 0, 0);

    [Fact]
    public void A_likely_wrong_label_without_signs_of_ambiguity_is_probably_wrong()
    {
        Assert.Equal(LabelKind.ProbablyWrong, LabelKinds.Classify(0.9, new LabelEvidenceWeight(2, 0), Components()));
        Assert.Equal(LabelKind.ProbablyWrong, LabelKinds.Classify(LabelKinds.ProbablyWrongThreshold, new LabelEvidenceWeight(0, 0), Components()));
        Assert.Equal(LabelKind.None, LabelKinds.Classify(0.49, new LabelEvidenceWeight(2, 0), Components()));
    }

    [Fact]
    public void Disagreeing_annotators_or_a_repeated_gold_text_make_a_label_ambiguous_unless_the_model_evidence_dominates()
    {
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), Components(disagreement: 0.5)));
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), Components(occurrences: 2)));
        Assert.Equal(LabelKind.None, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), Components(disagreement: 0.4)));
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.9, new LabelEvidenceWeight(1, 2), Components(occurrences: 3)));
        Assert.Equal(LabelKind.ProbablyWrong, LabelKinds.Classify(0.9, new LabelEvidenceWeight(3, 2), Components(occurrences: 3)));
    }

    [Fact]
    public void A_repeated_gold_text_is_ambiguous_only_while_the_reader_does_not_settle_on_the_annotated_place()
    {
        var settled = Components(occurrences: 3) with { GoldNBestRank = 0, GoldSpanMass = 0.9 };

        Assert.Equal(LabelKind.None, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), settled));
        // Its first answer is the gold text but most of its mass lies elsewhere (another occurrence), or its first answer is another text.
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), settled with { GoldSpanMass = 0.3 }));
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), settled with { GoldNBestRank = 1 }));
        Assert.Equal(LabelKind.Ambiguous, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), settled with { GoldNBestRank = null }));
        Assert.Equal(LabelKind.None, LabelKinds.Classify(0.1, new LabelEvidenceWeight(0, 1), settled with { AnswerOccurrences = 1, GoldNBestRank = null }));
    }

    [Fact]
    public void Kinds_have_stored_names_and_an_unknown_name_is_an_input_error()
    {
        Assert.Equal(["none", "probably wrong", "ambiguous"], Enum.GetValues<LabelKind>().Select(k => k.Label()));
        Assert.All(Enum.GetValues<LabelKind>(), kind => Assert.Equal(kind, LabelKinds.Parse(kind.Label(), "test")));
        Assert.Equal("run 1 sample 2: samples.label_kind: unknown label kind 'wrong' (expected none, probably wrong or ambiguous).",
            Assert.Throws<InputException>(() => LabelKinds.Parse("wrong", "run 1 sample 2: samples.label_kind")).Message);
    }

    [Fact]
    public void The_hand_weighted_score_is_the_documented_weighted_sum()
    {
        var components = new LabelErrorComponents(-Math.Log(0.5), 0, 0.6, 0.5, 1, 2, 0.3, null, 0, 0, 0);

        var expected = (HandWeightedLabelScore.GoldImprobabilityWeight * 0.5) + (HandWeightedLabelScore.DisjointConfidenceWeight * 0.6)
                       + (HandWeightedLabelScore.DistanceWeight * 0.5) + (HandWeightedLabelScore.DisagreementWeight * 1) + HandWeightedLabelScore.AmbiguousAnchorWeight;
        Assert.Equal(expected, HandWeightedLabelScore.Of(components), 12);
        Assert.Equal(1.0, HandWeightedLabelScore.GoldImprobabilityWeight + HandWeightedLabelScore.DisjointConfidenceWeight + HandWeightedLabelScore.DistanceWeight
                          + HandWeightedLabelScore.DisagreementWeight + HandWeightedLabelScore.AmbiguousAnchorWeight, 12);
        Assert.Equal(0.0, HandWeightedLabelScore.Of(new LabelErrorComponents(0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0)), 12);
    }
}
