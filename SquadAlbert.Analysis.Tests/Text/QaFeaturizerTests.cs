using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

public sealed class QaFeaturizerTests
{
    private static readonly Lazy<AlbertTokenizer> Tokenizer = new(() => AlbertTokenizer.Load(DevSet.OurModel));

    // 25 context words that are one token each ("▁the"), 5 question words cut to 3:
    // a window holds 20 - 3 - 3 = 14 context tokens and consecutive windows share 4, so they start at 0, 10, 20.
    private static readonly string Context = string.Join(' ', Enumerable.Repeat("the", 25));
    private static readonly QaFeaturizerOptions Small = new(MaxSeqLength: 20, DocStride: 4, MaxQueryLength: 3);

    private static SquadExample Example(params SquadAnswer[] answers) =>
        new("q1", "T", Context, "the the the the the", answers, answers.Length == 0, new SquadLocation(0, 0, 0));

    private static SquadAnswer Words(int firstWord, int count) => new(string.Join(' ', Enumerable.Repeat("the", count)), firstWord * 4);

    [Fact]
    public void Long_context_gives_overlapping_windows_in_the_hugging_face_layout()
    {
        var windows = new QaFeaturizer(Tokenizer.Value, Small).Featurize(Example(Words(11, 1)), exampleIndex: 7);

        Assert.Equal(3, windows.Count);
        Assert.Equal([20, 20, 11], windows.Select(w => w.Length));
        Assert.All(windows, w => Assert.Equal((7, "q1"), (w.ExampleIndex, w.ExampleId)));
        Assert.Equal([0, 1, 2], windows.Select(w => w.WindowIndex));

        var first = windows[0];
        Assert.Equal(Tokenizer.Value.ClsId, first.InputIds[0]);
        Assert.Equal(Tokenizer.Value.SepId, first.InputIds[4]);
        Assert.Equal(Tokenizer.Value.SepId, first.InputIds[^1]);
        Assert.Equal([0, 0, 0, 0, 0], first.TokenTypeIds[..5]);
        Assert.All(first.TokenTypeIds[5..], t => Assert.Equal(1, t));
        Assert.Equal(TokenSource.Special, first.Sources[0]);
        Assert.Equal([TokenSource.Question, TokenSource.Question, TokenSource.Question], first.Sources[1..4]);
        Assert.Equal(TokenSource.Special, first.Sources[4]);
        Assert.Equal(CharSpan.Empty, first.Spans[4]);
        Assert.Equal(new CharSpan(8, 11), first.Spans[3]);

        // Context token k of window w is context token 10w + k; window 1 starts at word 10, window 2 at word 20.
        Assert.Equal(new CharSpan(0, 3), first.Spans[5]);
        Assert.Equal(new CharSpan(40, 43), windows[1].Spans[5]);
        Assert.Equal(windows[0].Spans[15..19], windows[1].Spans[5..9]);
        Assert.Equal(new CharSpan(96, 99), windows[2].Spans[^2]);
    }

    [Fact]
    public void Gold_positions_point_at_answer_tokens_and_fall_back_to_cls_outside_the_window()
    {
        var windows = new QaFeaturizer(Tokenizer.Value, Small).Featurize(Example(Words(11, 1)), 0);
        Assert.Equal([(16, 16), (6, 6), (0, 0)], windows.Select(w => (w.GoldStart, w.GoldEnd)));
        Assert.Equal([true, true, false], windows.Select(w => w.ContainsAnswer));
    }

    [Fact]
    public void Answer_crossing_a_window_end_is_gold_only_where_it_fits_whole()
    {
        var windows = new QaFeaturizer(Tokenizer.Value, Small).Featurize(Example(Words(13, 2), Words(0, 1)), 0);
        Assert.Equal([(0, 0), (8, 9), (0, 0)], windows.Select(w => (w.GoldStart, w.GoldEnd)));
    }

    [Fact]
    public void Answer_inside_a_token_selects_that_token()
    {
        // "the" starting at word 2, but the answer is only "he": the token still starts before and ends after it.
        var windows = new QaFeaturizer(Tokenizer.Value, Small).Featurize(Example(new SquadAnswer("he", 9)), 0);
        Assert.Equal((7, 7), (windows[0].GoldStart, windows[0].GoldEnd));
    }

    [Fact]
    public void Impossible_question_has_cls_gold_everywhere()
    {
        var windows = new QaFeaturizer(Tokenizer.Value, Small).Featurize(Example(), 0);
        Assert.All(windows, w => Assert.Equal((0, 0), (w.GoldStart, w.GoldEnd)));
    }

    [Fact]
    public void Short_context_is_one_window_with_default_options()
    {
        var windows = new QaFeaturizer(Tokenizer.Value).Featurize(Example(Words(24, 1)), 0);
        Assert.Single(windows);
        Assert.Equal(1 + 5 + 1 + 25 + 1, windows[0].Length);
        Assert.Equal((31, 31), (windows[0].GoldStart, windows[0].GoldEnd));
    }

    [Fact]
    public void Options_that_leave_no_room_past_the_stride_are_rejected()
    {
        Assert.Throws<InputException>(() => new QaFeaturizer(Tokenizer.Value, new QaFeaturizerOptions(MaxSeqLength: 20, DocStride: 14, MaxQueryLength: 3)));
    }
}
