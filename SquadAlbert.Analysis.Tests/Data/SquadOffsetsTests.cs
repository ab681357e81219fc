using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public sealed class SquadOffsetsTests
{
    private const string Text = "a\ud83c\udfb5b\ud83c\udfb6c";

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(6, 4)]
    [InlineData(7, 5)]
    public void Utf16_and_code_point_indices_map_both_ways(int utf16, int codePoints)
    {
        Assert.Equal(codePoints, SquadOffsets.Utf16ToCodePoint(Text, utf16));
        Assert.Equal(utf16, SquadOffsets.CodePointToUtf16(Text, codePoints));
    }

    [Fact]
    public void An_index_inside_a_surrogate_pair_or_past_the_end_is_refused()
    {
        Assert.True(SquadOffsets.SplitsSurrogatePair(Text, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SquadOffsets.Utf16ToCodePoint(Text, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SquadOffsets.Utf16ToCodePoint(Text, 8));
        Assert.Equal(-1, SquadOffsets.CodePointToUtf16(Text, 6));
    }
}
