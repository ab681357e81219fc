using SquadAlbert.Analysis.Review;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class ContextExcerptTests
{
    private const string Context = "0123456789 The gold answer and the predicted one sit here. 0123456789";

    [Fact]
    public void Keeps_the_margin_around_both_spans_and_marks_each_piece()
    {
        var gold = Context.IndexOf("gold answer", StringComparison.Ordinal);
        var predicted = Context.IndexOf("answer and the predicted", StringComparison.Ordinal);

        var pieces = ContextExcerpt.Around(Context, [(gold, gold + 11)], (predicted, predicted + 24), margin: 4);

        Assert.Equal(["…", "The ", "gold ", "answer", " and the predicted", " one", "…"], pieces.Select(p => p.Text));
        Assert.Equal([false, false, true, true, false, false, false], pieces.Select(p => p.InGold));
        Assert.Equal([false, false, false, true, true, false, false], pieces.Select(p => p.InPrediction));
        Assert.Equal(["answer"], pieces.Where(p => p.IsOverlap).Select(p => p.Text));
    }

    [Fact]
    public void A_short_context_is_shown_whole_and_no_spans_show_its_start()
    {
        Assert.Equal(["abc", "d"], ContextExcerpt.Around("abcd", [(0, 3)], (0, 0), margin: 10).Select(p => p.Text));
        Assert.Equal("0123…", Assert.Single(ContextExcerpt.Around(Context, [], (0, 0), margin: 2)).Text);
    }

    [Fact]
    public void Never_cuts_a_surrogate_pair()
    {
        var text = "ab\ud83c\udfb5cdef";

        var pieces = ContextExcerpt.Around(text, [(4, 5)], (0, 0), margin: 1);

        Assert.Equal("\ud83c\udfb5", pieces[1].Text);
    }
}
