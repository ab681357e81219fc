using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using SquadAlbert.Analysis.Exploration;
using PlotLayout = Plotly.Blazor.Layout;

namespace SquadAlbert.Dashboard.Components.Charts;

/// <summary>
/// Shared Plotly settings: transparent backgrounds and a mid-grey font so charts read in light and dark themes,
/// no Plotly logo, and responsive sizing. Every text handed to Plotly goes through <see cref="PlotlyText.Escape"/>:
/// titles and category names are plain text (article titles, cluster names), never Plotly markup.
/// </summary>
public static class ChartDefaults
{
    private const string GridColor = "rgba(128,128,128,0.2)";

    public static Config Config { get; } = new() { Responsive = true, DisplayLogo = false };

    /// <summary>Category names as a Plotly trace takes them, escaped.</summary>
    public static IList<object> CategoryLabels(IEnumerable<string> labels) => [.. labels.Select(PlotlyText.Escape)];

    /// <summary>A layout for a chart with one category axis and one value axis; the titles are plain text.</summary>
    /// <param name="categoriesOnY">Categories run down the y axis (horizontal bars), first category on top.</param>
    public static PlotLayout CategoryLayout(string? title, int height, string? categoryTitle, string? valueTitle, bool categoriesOnY) => new()
    {
        Title = title is null ? null : new Title { Text = PlotlyText.Escape(title) },
        Height = height,
        AutoSize = true,
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = "#8a8a8a" },
        Margin = new Margin { L = 50, R = 20, T = title is null ? 20 : 50, B = 50 },
        XAxis =
        [
            new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = PlotlyText.EscapeOrNull(categoriesOnY ? valueTitle : categoryTitle) },
                GridColor = GridColor,
                AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True,
                Type = categoriesOnY ? null : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category,
            },
        ],
        YAxis =
        [
            new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = PlotlyText.EscapeOrNull(categoriesOnY ? categoryTitle : valueTitle) },
                GridColor = GridColor,
                AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True,
                Type = categoriesOnY ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category : null,
                AutoRange = categoriesOnY ? Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed : Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.True,
            },
        ],
    };
}
