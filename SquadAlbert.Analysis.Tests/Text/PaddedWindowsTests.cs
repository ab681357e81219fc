using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

public sealed class PaddedWindowsTests
{
    private static QaWindow Window(string id, int[] ids, int[] types) =>
        new(0, id, 0, ids, types, new TokenSource[ids.Length], new CharSpan[ids.Length], 0, 0);

    [Fact]
    public void Pads_on_the_right_to_the_longest_window_with_zero_ids_types_and_mask()
    {
        var padded = PaddedWindows.Pad([Window("a", [2, 7, 3], [0, 0, 0]), Window("b", [2, 8, 3, 9, 3], [0, 0, 0, 1, 1])]);

        Assert.Equal([2L, 5L], padded.Shape);
        Assert.Equal([2L, 7, 3, 0, 0, 2, 8, 3, 9, 3], padded.InputIds);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 0, 0, 1, 1], padded.TokenTypeIds);
        Assert.Equal([1L, 1, 1, 0, 0, 1, 1, 1, 1, 1], padded.AttentionMask);
    }

    [Fact]
    public void Rejects_an_empty_batch_and_a_window_whose_token_types_do_not_match_its_ids()
    {
        Assert.Throws<ArgumentException>(() => PaddedWindows.Pad([]));
        var error = Assert.Throws<ArgumentException>(() => PaddedWindows.Pad([Window("bad", [2, 3], [0])]));
        Assert.Contains("bad#0", error.Message, StringComparison.Ordinal);
    }
}
