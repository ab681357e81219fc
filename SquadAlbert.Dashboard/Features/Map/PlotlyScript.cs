using System.Reflection;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// The URL of Plotly.js as Plotly.Blazor serves it. Its file name carries plotly.js's version, so the build finds it in
/// the package (the ResolvePlotlyScript target of the project file) rather than the code naming one release.
/// </summary>
public static class PlotlyScript
{
    private const string MetadataKey = "PlotlyScript";

    public static string Url { get; } = typeof(PlotlyScript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == MetadataKey).Value!;
}
