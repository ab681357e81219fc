using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Tests.Features.Samples;

public sealed class TokenTextTests
{
    [Fact]
    public async Task Renders_each_segment_encoded_with_its_character_range_marks_and_colour()
    {
        const string context = "Use <b>bold</b> & more";
        var segments = TokenView.Segments(context, [new CharSpan(0, 3), new CharSpan(4, 15), new CharSpan(16, 17)], [new CharSpan(4, 15)], [new CharSpan(16, 22)],
            new Dictionary<CharSpan, double> { [new CharSpan(0, 3)] = 0.5, [new CharSpan(4, 15)] = -1 });
        await using var ctx = new BunitContext();

        var text = ctx.Render<TokenText>(p => p.Add(c => c.Id, "context-text").Add(c => c.Segments, segments));

        var spans = text.FindAll("#context-text > span");
        Assert.Equal(context, text.Find("#context-text").TextContent);
        Assert.Empty(text.FindAll("#context-text b"));
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", text.Markup, StringComparison.Ordinal);
        Assert.Equal(segments.Select(s => s.Start.ToString(System.Globalization.CultureInfo.InvariantCulture)), spans.Select(s => s.GetAttribute("data-start")));
        Assert.Equal(segments.Select(s => s.End.ToString(System.Globalization.CultureInfo.InvariantCulture)), spans.Select(s => s.GetAttribute("data-end")));
        Assert.Equal("seg tok gold", spans[2].ClassName);
        Assert.Equal("seg tok pred", spans[4].ClassName);
        Assert.Equal("background-color: rgba(214, 39, 40, 0.425);", spans[0].GetAttribute("style"));
        Assert.Equal("background-color: rgba(31, 119, 180, 0.85);", spans[2].GetAttribute("style"));
        Assert.Null(spans[1].GetAttribute("style"));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.0, null)]
    [InlineData(double.NaN, null)]
    [InlineData(2.0, "background-color: rgba(214, 39, 40, 0.85);")]
    [InlineData(-0.2, "background-color: rgba(31, 119, 180, 0.17);")]
    public void Scores_map_to_a_diverging_colour_whose_opacity_grows_with_magnitude(double? score, string? expected)
    {
        Assert.Equal(expected, SegmentStyle.Background(score));
    }

    [Fact]
    public void Overlap_wins_over_gold_and_prediction_marks()
    {
        Assert.Equal("seg tok overlap", SegmentStyle.Classes(new TextSegment(0, 1, "a", 0, true, true, null)));
        Assert.Equal("seg pred", SegmentStyle.Classes(new TextSegment(0, 1, " ", null, false, true, null)));
        Assert.Equal("attribution +0.250", SegmentStyle.Title(new TextSegment(0, 1, "a", 0, false, false, 0.25)));
    }
}
