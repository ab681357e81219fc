using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Tests.Features.Samples;

/// <summary>The sample page of a SQuAD 2.0 run shows the null answer beside the best span (synthetic run: sample 0 is
/// unanswerable and answered, null − best = −5; sample 6 is unanswerable and abstains, +1).</summary>
public sealed class NullAnswerTests(Squad2DatabaseFixture fixture) : IClassFixture<Squad2DatabaseFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unanswerable_sample_the_reader_answers_shows_its_null_score_beside_the_best_span()
    {
        var sample = new RunSampleReader(fixture.Database).Find(fixture.RunId, 0)!;
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, fixture.RunId).Add(x => x.SampleIndex, 0));
        page.WaitForElement("[data-testid=null-answer]", Wait);

        var rows = page.FindAll("[data-testid=null-answer-row]").ToDictionary(r => r.Children[0].TextContent, r => r.Children[1].TextContent);
        Assert.Equal("unanswerable", rows["Marked"]);
        Assert.Equal("“1998”", rows["Best span"]);
        Assert.Equal("1.000", rows["Null score ([CLS])"]);
        Assert.Equal("-5.000", rows["Null − best span"]);
        Assert.Equal("6.000", rows["Best span score"]);
        Assert.Equal("0.000", rows["Run threshold"]);
        Assert.Equal(sample.NoAnswer!.NoAnswerProbability!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), rows["No-answer probability"]);
        Assert.Equal("no", rows["Reader abstained"]);
        Assert.Equal(SampleOutcomes.FalseAnswer, rows["Outcome"]);
        Assert.Equal("No answer (marked unanswerable)", page.Find("[data-testid=gold-none]").TextContent);
        Assert.Equal("1998", page.Find("[data-testid=prediction]").TextContent);
    }

    [Fact]
    public async Task An_abstention_reads_no_answer_and_a_v11_sample_has_no_null_answer_panel()
    {
        await using var ctx = fixture.NewContext();

        var abstained = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, fixture.RunId).Add(x => x.SampleIndex, 6));
        abstained.WaitForElement("[data-testid=null-answer]", Wait);
        Assert.Equal("(no answer)", abstained.Find("[data-testid=prediction]").TextContent);
        Assert.Contains(abstained.FindAll("[data-testid=null-answer-row]"), r => r.TextContent == "Reader abstainedyes");
        Assert.Contains(abstained.FindAll("[data-testid=null-answer-row]"), r => r.TextContent == "Outcome" + SampleOutcomes.RightAbstention);

        var v11 = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, fixture.V11RunId).Add(x => x.SampleIndex, 0));
        v11.WaitForElement("[data-testid=metrics]", Wait);
        Assert.Empty(v11.FindAll("[data-testid=null-answer]"));
        Assert.Empty(v11.FindAll("[data-testid=gold-none]"));
    }
}
