using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Tests.Features.Review;

public sealed class ReviewOrderTests
{
    private static RunSample Sample(int index, double loss, double? score) => new(
        1, index, "q" + index, "dev", "T", "Who?", "Rollo led the Normans to Normandy.", [new GoldAnswer("Rollo", 0), new GoldAnswer("Rollo led", 0)],
        "Normandy", 25, 33, 0.4, 0.5, 0.5, 0, false, loss, loss, loss, false, 0, "disjoint", "who", "person", 1,
        new LabelScores(null, score, score is null ? null : LabelKind.None));

    private static ReviewDecision Decision(int index, ReviewVerdict verdict, FixedSpan? fix = null) =>
        new(1, index, "q" + index, verdict, null, fix, "2026-11-27T19:00:00.000Z");

    [Fact]
    public void Orders_by_label_error_score_when_any_sample_has_one_with_unscored_samples_last()
    {
        var order = ReviewOrder.Load([Sample(0, 9, 0.1), Sample(1, 1, null), Sample(2, 2, 0.9), Sample(3, 3, 0.1)], []);

        Assert.True(order.OrderedByLabelScore);
        Assert.Equal([2, 0, 3, 1], order.Visible(false).Select(i => i.Sample.SampleIndex));
    }

    [Fact]
    public void Orders_by_loss_until_the_run_is_scored()
    {
        var order = ReviewOrder.Load([Sample(0, 1, null), Sample(1, 3, null), Sample(2, 2, null)], []);

        Assert.False(order.OrderedByLabelScore);
        Assert.Equal([1, 2, 0], order.Visible(false).Select(i => i.Sample.SampleIndex));
    }

    [Fact]
    public void Undecided_only_hides_decided_samples_and_a_new_decision_updates_its_item()
    {
        var order = ReviewOrder.Load([Sample(0, 1, null), Sample(1, 3, null), Sample(2, 2, null)], [Decision(1, ReviewVerdict.Correct)]);

        Assert.Equal([2, 0], order.Visible(true).Select(i => i.Sample.SampleIndex));
        order.Record(Decision(2, ReviewVerdict.Fixed, new FixedSpan("Normans", 14)));

        Assert.Equal([0], order.Visible(true).Select(i => i.Sample.SampleIndex));
        Assert.Equal(2, order.Decided);
        var fixedItem = order.Visible(false).Single(i => i.Sample.SampleIndex == 2);
        Assert.Equal(new GoldAnswer("Normans", 14), fixedItem.FirstGold);
        Assert.Equal(["Normans", "Rollo led"], fixedItem.Gold.Select(g => g.Text));
        Assert.Contains(fixedItem.Excerpt, p => p.InGold && p.Text == "Normans");
        Assert.Contains(fixedItem.Excerpt, p => p.InPrediction && p.Text == "Normandy");
        Assert.Equal(fixedItem.Gold, SampleDetails.EffectiveGold(fixedItem.Sample, fixedItem.Decision));
    }
}
