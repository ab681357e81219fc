using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Tests.Features.Samples;

public sealed class SampleDetailsTests
{
    private static readonly RunSample Sample = new(
        1, 0, "q0", "dev", "Normans", "Who led the Normans?", "Rollo led the Normans to Normandy.",
        [new GoldAnswer("Rollo", 0), new GoldAnswer("Rollo", 0), new GoldAnswer("Rollo led", 0)],
        "Normandy", 25, 33, 0.4, 0.5, 0.5, 0, false, 2, 3, 2.5, false, 0, "disjoint", "who", "person", 1, LabelScores.Unscored);

    [Fact]
    public void Without_the_model_folder_the_text_is_cut_at_whitespace_and_says_why()
    {
        var details = SampleDetails.Build(Sample, "/nonexistent/model", new RunTokenizers(), null, null);

        Assert.NotNull(details.TokenProblem);
        Assert.Equal(Sample.Context, string.Concat(details.Tokens.Context.Select(s => s.Text)));
        Assert.Equal(["Rollo", "led"], details.Tokens.Context.Where(s => s.IsToken && s.InGold).Select(s => s.Text));
        Assert.Equal(["Normandy."], details.Tokens.Context.Where(s => s.IsToken && s.InPrediction).Select(s => s.Text));
    }

    [Fact]
    public void A_fix_replaces_the_first_gold_and_equal_answers_are_grouped()
    {
        var fix = new ReviewDecision(1, 0, "q0", ReviewVerdict.Fixed, null, new FixedSpan("Normans", 14), new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero));

        var details = SampleDetails.Build(Sample, "/nonexistent/model", new RunTokenizers(), fix, null);

        Assert.Equal([(new GoldAnswer("Normans", 14), 1), (new GoldAnswer("Rollo", 0), 1), (new GoldAnswer("Rollo led", 0), 1)], details.DistinctGold);
        Assert.Equal([(new GoldAnswer("Rollo", 0), 2), (new GoldAnswer("Rollo led", 0), 1)], SampleDetails.Build(Sample, "/nonexistent/model", new RunTokenizers(), null, null).DistinctGold);
        Assert.Contains(details.Tokens.Context, s => s.IsToken && s.InGold && s.Text == "Normans");
    }
}
