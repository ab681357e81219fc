using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class TokenViewTests
{
    [Fact]
    public void Segments_cover_the_text_and_mark_gold_prediction_and_their_overlap()
    {
        const string text = "The big cat  sat.";
        CharSpan[] tokens = [new(0, 3), new(4, 7), new(8, 11), new(13, 16), new(16, 17)];
        var scores = new Dictionary<CharSpan, double> { [new(8, 11)] = -0.5 };

        var segments = TokenView.Segments(text, tokens, [new CharSpan(4, 11)], [new CharSpan(8, 16)], scores);

        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(["The", " ", "big", " ", "cat", "  ", "sat", "."], segments.Select(s => s.Text));
        Assert.Equal([0, null, 1, null, 2, null, 3, 4], segments.Select(s => s.TokenIndex));
        Assert.Equal([false, false, true, true, true, false, false, false], segments.Select(s => s.InGold));
        Assert.Equal([false, false, false, false, true, true, true, false], segments.Select(s => s.InPrediction));
        Assert.Equal(["cat"], segments.Where(s => s.IsOverlap).Select(s => s.Text));
        Assert.Equal([null, null, null, null, -0.5, null, null, null], segments.Select(s => s.Score));
        Assert.All(segments, s => Assert.Equal(text[s.Start..s.End], s.Text));
    }

    [Fact]
    public void Overlapping_token_spans_are_clipped_and_empty_ones_skipped()
    {
        var segments = TokenView.Segments("abcdef", [new(0, 3), new(2, 4), new(4, 4), new(4, 6)], [], [], null);

        Assert.Equal(["abc", "d", "ef"], segments.Select(s => s.Text));
        Assert.Equal([0, 1, 3], segments.Select(s => s.TokenIndex));
    }

    [Fact]
    public void Scores_are_divided_by_the_largest_word_score_leaving_out_special_tokens()
    {
        var key = new AttributionKey("m", "q", 0, AttributionMethod.IntegratedGradients, AttributionTarget.Loss, TargetPositions.Gold, IntegrationRule.GaussLegendre, 4);
        TokenAttribution[] tokens =
        [
            new(0, TokenSource.Special, CharSpan.Empty, "[CLS]", 100, 1),
            new(1, TokenSource.Question, new(0, 3), "▁who", 2, 0.02),
            new(2, TokenSource.Special, CharSpan.Empty, "[SEP]", -50, -0.5),
            new(3, TokenSource.Context, new(0, 4), "▁rol", -4, -0.04),
            new(4, TokenSource.Context, new(4, 6), "lo", 1, 0.01),
        ];

        var (question, context) = TokenView.NormalizedScores(new QaAttribution(key, 0, 0, 0, tokens, null));

        Assert.Equal(0.5, question[new(0, 3)]);
        Assert.Equal(-1.0, context[new(0, 4)]);
        Assert.Equal(0.25, context[new(4, 6)]);
    }

    [Fact]
    public void A_real_sample_is_rebuilt_exactly_from_its_segments()
    {
        var tokenizer = AlbertTokenizer.Load(RunFixture.SpieceModel);
        var sample = new RunSample(1, 0, "q", "dev", "T", "Who wrote “Casablanca”?", "In 1942, “Casablanca” was written by  Julius Epstein.",
            [new GoldAnswer("Julius Epstein", 38)], "Casablanca", 10, 20, 0.5, 0.5, 0.5, 0, false, 1, 1, 1, false, 0, "disjoint", "who", "person", 1,
            LabelScores.Unscored);

        var view = TokenView.Build(tokenizer, sample, null);

        Assert.Equal(sample.Question, string.Concat(view.Question.Select(s => s.Text)));
        Assert.Equal(sample.Context, string.Concat(view.Context.Select(s => s.Text)));
        Assert.Equal("Julius Epstein", string.Concat(view.Context.Where(s => s.InGold).Select(s => s.Text)).Trim());
        Assert.Equal("Casablanca", string.Concat(view.Context.Where(s => s.InPrediction).Select(s => s.Text)).Trim('“', '”'));
        Assert.DoesNotContain(view.Context, s => s.IsOverlap);
        Assert.All(view.Context, s => Assert.Null(s.Score));
    }
}
