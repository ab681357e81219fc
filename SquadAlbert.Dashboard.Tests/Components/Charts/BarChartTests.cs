using Plotly.Blazor;
using Plotly.Blazor.Traces;
using SquadAlbert.Dashboard.Components.Charts;

namespace SquadAlbert.Dashboard.Tests.Components.Charts;

/// <summary>Plotly renders some HTML in category, title and axis labels; data must reach it escaped.</summary>
public sealed class BarChartTests
{
    private const string LinkedTitle = "<a href=\"x\">t</a>";
    private const string EscapedTitle = "&lt;a href=\"x\"&gt;t&lt;/a&gt;";
    private static readonly object[] EscapedLabels = [EscapedTitle, "plain"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Category_labels_and_titles_reach_plotly_escaped(bool horizontal)
    {
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;

        var chart = ctx.Render<BarChart>(p => p
            .Add(c => c.Id, "chart")
            .Add(c => c.Title, "<span style=\"color:red\">R&D</span>")
            .Add(c => c.Labels, [LinkedTitle, "plain"])
            .Add(c => c.Values, [2.0, 1.0])
            .Add(c => c.Horizontal, horizontal)
            .Add(c => c.CategoryAxisTitle, "<b>titles</b>"));

        var plotly = chart.FindComponent<PlotlyChart>().Instance;
        var bar = Assert.IsType<Bar>(Assert.Single(plotly.Data));
        Assert.Equal(EscapedLabels, horizontal ? bar.Y : bar.X);
        Assert.Equal("&lt;span style=\"color:red\"&gt;R&amp;D&lt;/span&gt;", plotly.Layout.Title.Text);
        var categoryTitle = horizontal ? plotly.Layout.YAxis[0].Title.Text : plotly.Layout.XAxis[0].Title.Text;
        Assert.Equal("&lt;b&gt;titles&lt;/b&gt;", categoryTitle);
    }
}
