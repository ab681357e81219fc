using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Tests.Features.Review;

public sealed class ReviewOrderTests
{
    private static RunSample Sample(int index, double loss, double? score, LabelKind? kind = null) => new(
        1, index, "q" + index, "dev", "T", "Who?", "Rollo led the Normans to Normandy.", [new GoldAnswer("Rollo", 0), new GoldAnswer("Rollo led", 0)],
        "Normandy", 25, 33, 0.4, 0.5, 0.5, 0, false, loss, loss, loss, false, 0, "disjoint", "who", "person", 1,
        new LabelScores(null, score, score is null ? null : kind ?? LabelKind.None));

    private static ReviewDecision Decision(int index, ReviewVerdict verdict, FixedSpan? fix = null) =>
        new(1, index, "q" + index, verdict, null, fix, StoredTime.Parse("2026-11-27T19:00:00.000Z", "test"));

    [Fact]
    public void Orders_by_label_error_score_when_any_sample_has_one_with_unscored_samples_last()
    {
        var order = ReviewOrder.Load([Sample(0, 9, 0.1), Sample(1, 1, null), Sample(2, 2, 0.9), Sample(3, 3, 0.1)], []);

        Assert.True(order.OrderedByLabelScore);
        Assert.Equal([2, 0, 3, 1], order.Visible(new ReviewFilter()).Select(i => i.Sample.SampleIndex));
    }

    [Fact]
    public void Orders_by_loss_until_the_run_is_scored()
    {
        var order = ReviewOrder.Load([Sample(0, 1, null), Sample(1, 3, null), Sample(2, 2, null)], []);

        Assert.False(order.OrderedByLabelScore);
        Assert.Equal([1, 2, 0], order.Visible(new ReviewFilter()).Select(i => i.Sample.SampleIndex));
    }

    [Fact]
    public void Undecided_only_hides_decided_samples_and_a_new_decision_updates_its_item()
    {
        var order = ReviewOrder.Load([Sample(0, 1, null), Sample(1, 3, null), Sample(2, 2, null)], [Decision(1, ReviewVerdict.Correct)]);

        Assert.Equal([2, 0], order.Visible(new ReviewFilter(UndecidedOnly: true)).Select(i => i.Sample.SampleIndex));
        order.Record(Decision(2, ReviewVerdict.Fixed, new FixedSpan("Normans", 14)));

        Assert.Equal([0], order.Visible(new ReviewFilter(UndecidedOnly: true)).Select(i => i.Sample.SampleIndex));
        Assert.Equal(2, order.Decided);
        var fixedItem = order.Visible(new ReviewFilter()).Single(i => i.Sample.SampleIndex == 2);
        Assert.Equal(new GoldAnswer("Normans", 14), fixedItem.FirstGold);
        Assert.Equal(["Normans", "Rollo led"], fixedItem.Gold.Select(g => g.Text));
        Assert.Contains(fixedItem.Excerpt, p => p.InGold && p.Text == "Normans");
        Assert.Contains(fixedItem.Excerpt, p => p.InPrediction && p.Text == "Normandy");
        Assert.Equal(fixedItem.Gold, SampleDetails.EffectiveGold(fixedItem.Sample, fixedItem.Decision));
    }

    [Fact]
    public void The_kind_filter_keeps_one_label_kind_and_combines_with_undecided_only()
    {
        var order = ReviewOrder.Load(
            [Sample(0, 1, 0.9, LabelKind.ProbablyWrong), Sample(1, 1, 0.2, LabelKind.Ambiguous), Sample(2, 1, 0.8, LabelKind.ProbablyWrong),
             Sample(3, 1, 0.1, LabelKind.None), Sample(4, 1, 0.3, LabelKind.Ambiguous)],
            [Decision(2, ReviewVerdict.Wrong)]);

        Assert.Equal([0, 2], order.Visible(new ReviewFilter(Kind: LabelKind.ProbablyWrong)).Select(i => i.Sample.SampleIndex));
        Assert.Equal([4, 1], order.Visible(new ReviewFilter(Kind: LabelKind.Ambiguous)).Select(i => i.Sample.SampleIndex));
        Assert.Equal([0], order.Visible(new ReviewFilter(UndecidedOnly: true, Kind: LabelKind.ProbablyWrong)).Select(i => i.Sample.SampleIndex));
        Assert.Equal(
            [new ReviewKindChoice(ReviewOrder.AnyKind, "Every kind (5)"), new ReviewKindChoice("probably wrong", "Probably wrong (2)"),
             new ReviewKindChoice("ambiguous", "Ambiguous (2)"), new ReviewKindChoice("none", "None (1)")],
            order.KindChoices(undecidedOnly: false, selected: null));
        Assert.Equal(["Every kind (4)", "Probably wrong (1)", "Ambiguous (2)", "None (1)"], order.KindChoices(true, null).Select(c => c.Text));
        Assert.All(Enum.GetValues<LabelKind>(), kind => Assert.Equal(kind, ReviewOrder.KindOf(ReviewOrder.ValueOf(kind))));
        Assert.Null(ReviewOrder.KindOf(ReviewOrder.ValueOf(null)));
    }

    [Fact]
    public void A_run_scored_before_label_kinds_offers_only_every_kind_and_the_selected_one()
    {
        var order = ReviewOrder.Load([Sample(0, 1, null), Sample(1, 2, null)], []);

        Assert.Equal(["Every kind (2)"], order.KindChoices(false, null).Select(c => c.Text));
        Assert.Equal(["Every kind (2)", "Ambiguous (0)"], order.KindChoices(false, LabelKind.Ambiguous).Select(c => c.Text));
        Assert.Empty(order.Visible(new ReviewFilter(Kind: LabelKind.Ambiguous)));
    }
}
