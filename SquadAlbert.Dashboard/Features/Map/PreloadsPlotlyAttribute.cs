using System.Reflection;
using Microsoft.AspNetCore.Components.Endpoints;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// Marks a page that draws the population map: when the browser loads it directly, its HTML head asks for Plotly.js
/// at once (a preload link in App.razor), so the 4.8 MB download overlaps the circuit's start and the server's read of
/// the points. Only fetched: population-map.js runs the script after painting the points (running it early would hold
/// the browser's main thread, and with it every interop message, for about 1.5 s). Other pages never fetch it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PreloadsPlotlyAttribute : Attribute
{
    /// <summary>True when <paramref name="endpoint"/> renders a page marked with this attribute.</summary>
    public static bool IsOn(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type.IsDefined(typeof(PreloadsPlotlyAttribute), inherit: false) == true;
}
