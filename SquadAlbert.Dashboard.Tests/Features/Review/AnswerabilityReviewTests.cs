using MudBlazor;
using MudBlazor.Extensions;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Dashboard.Features.Review;

namespace SquadAlbert.Dashboard.Tests.Features.Review;

/// <summary>The label review of a SQuAD 2.0 run offers the two answerability checks as a filter (synthetic run: the
/// unanswerable "when" questions the reader answers "1998" with a no-answer probability ≤ 0.2, and the answerable
/// samples it confidently abstains on).</summary>
public sealed class AnswerabilityReviewTests(Squad2DatabaseFixture fixture) : IClassFixture<Squad2DatabaseFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer, "unanswerable? reader answers")]
    [InlineData(AnswerabilitySuspicion.AnswerableButConfidentAbstention, "answerable? reader abstains")]
    public async Task The_answerability_filter_keeps_the_samples_its_check_flags(AnswerabilitySuspicion suspicion, string chip)
    {
        var samples = new RunSampleReader(fixture.Database).All(fixture.RunId);
        var expected = samples.Where(s => s.Answerability == suspicion).Select(s => s.SampleIndex).Order().ToList();
        Assert.NotEmpty(expected);
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<ReviewPage>(p => p.Add(x => x.RunId, fixture.RunId));
        page.WaitForElement("[data-testid=review-queue]", Wait);
        var filter = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Answerability");
        Assert.Equal(ReviewOrder.AnyAnswerability, filter.Instance.GetState(x => x.Value));

        await page.InvokeAsync(() => filter.Instance.ValueChanged.InvokeAsync(ReviewOrder.AnswerabilityValueOf(suspicion)));

        page.WaitForAssertion(() => Assert.Equal(expected,
            page.FindAll("[data-testid=review-item]").Select(i => int.Parse(i.GetAttribute("data-sample")!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList()), Wait);
        Assert.All(page.FindAll("[data-testid=item-answerability]"), c => Assert.Equal(chip, c.TextContent.Trim()));
        Assert.Equal(expected.Count, page.FindAll("[data-testid=item-answerability]").Count);
    }

    [Fact]
    public async Task A_v11_run_has_no_answerability_filter_and_flags_nothing()
    {
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<ReviewPage>(p => p.Add(x => x.RunId, fixture.V11RunId));

        page.WaitForElement("[data-testid=review-queue]", Wait);
        Assert.Empty(page.FindAll("[data-testid=answerability-filter]"));
        Assert.Empty(page.FindAll("[data-testid=item-answerability]"));
        var queue = ReviewOrder.Load(new RunSampleReader(fixture.Database).All(fixture.V11RunId), []);
        Assert.False(queue.HasUnanswerable);
        Assert.All(queue.Visible(new ReviewFilter()), i => Assert.Equal(AnswerabilitySuspicion.None, i.Answerability));
    }

    [Fact]
    public void Choices_count_each_suspicion_and_values_round_trip()
    {
        var queue = ReviewOrder.Load(new RunSampleReader(fixture.Database).All(fixture.RunId), []);
        Assert.True(queue.HasUnanswerable);
        var choices = queue.AnswerabilityChoices(undecidedOnly: false, kind: null);
        Assert.Equal(3, choices.Count);
        foreach (var (suspicion, value, _) in ReviewOrder.Suspicions)
        {
            Assert.Equal(suspicion, ReviewOrder.AnswerabilityOf(value));
            Assert.Equal(value, ReviewOrder.AnswerabilityValueOf(suspicion));
            var count = queue.Visible(new ReviewFilter(Answerability: suspicion)).Count;
            Assert.EndsWith($"({count})", choices.Single(c => c.Value == value).Text, StringComparison.Ordinal);
        }
        Assert.Null(ReviewOrder.AnswerabilityOf(ReviewOrder.AnyAnswerability));
        Assert.Throws<Analysis.InputException>(() => ReviewOrder.AnswerabilityOf("nonsense"));
    }
}
