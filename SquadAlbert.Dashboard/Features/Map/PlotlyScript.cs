using System.Reflection;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// The URL of the Plotly.js bundle the map runs: plotly.js's gl2d bundle (scatter and scattergl), vendored in
/// <c>wwwroot/lib/plotly-gl2d</c> at the plotly.js release of Plotly.Blazor's full bundle. The ResolvePlotlyScript target
/// of the project file finds that release in the package and checks the vendored file exists, so the code names no release.
/// </summary>
public static class PlotlyScript
{
    private const string MetadataKey = "PlotlyScript";

    public static string Url { get; } = typeof(PlotlyScript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == MetadataKey).Value!;
}
