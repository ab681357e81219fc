using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class PlotlyTextTests
{
    [Theory]
    [InlineData("<a href=\"x\">t</a>", "&lt;a href=\"x\"&gt;t&lt;/a&gt;")]
    [InlineData("<span style=\"color:red\">big</span>", "&lt;span style=\"color:red\"&gt;big&lt;/span&gt;")]
    [InlineData("R&D", "R&amp;D")]
    [InlineData("&lt;b&gt;", "&amp;lt;b&amp;gt;")]
    [InlineData("Beyoncé's \"Halo\"", "Beyoncé's \"Halo\"")]
    [InlineData("", "")]
    public void Escape_turns_plotly_markup_into_text_and_leaves_everything_else(string text, string expected) =>
        Assert.Equal(expected, PlotlyText.Escape(text));
}
