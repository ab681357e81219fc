using System.Net;
using System.Text.RegularExpressions;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Tests.Hosting;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

public sealed class PlotlyScriptTests
{
    [Fact]
    public async Task The_maps_plotly_script_is_the_gl2d_bundle_of_the_packages_plotly_release_and_is_served()
    {
        var release = Regex.Match(PlotlyScript.Url, @"^lib/plotly-gl2d/plotly-gl2d-(\d+\.\d+\.\d+)\.min\.js$");
        Assert.True(release.Success, PlotlyScript.Url);
        using var host = new DashboardHost();
        using var client = host.ClientFor("http://localhost:5278");

        using var response = await client.GetAsync(new Uri("/" + PlotlyScript.Url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("plotly.js", script, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("scattergl", script, StringComparison.Ordinal);
        // The same plotly.js release as the full bundle Plotly.Blazor serves to the other pages' charts.
        using var full = await client.GetAsync(new Uri($"/_content/Plotly.Blazor/plotly-{release.Groups[1].Value}.min.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }
}
