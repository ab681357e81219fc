using System.Net;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Tests.Hosting;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

public sealed class PlotlyScriptTests
{
    [Fact]
    public async Task The_plotly_script_found_in_the_package_is_the_full_bundle_and_is_served()
    {
        Assert.Matches(@"^_content/Plotly\.Blazor/plotly-\d+\.\d+\.\d+\.min\.js$", PlotlyScript.Url);
        using var host = new DashboardHost();
        using var client = host.ClientFor("http://localhost:5278");

        using var response = await client.GetAsync(new Uri("/" + PlotlyScript.Url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("plotly.js", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/runs/7/map", true)]
    [InlineData("/runs/7/clusters/kmeans/2", true)]
    [InlineData("/runs/7/clusters", false)]
    [InlineData("/", false)]
    public async Task Only_pages_that_draw_the_map_ask_for_plotly_in_their_head_and_only_as_a_preload(string path, bool preloads)
    {
        using var host = new DashboardHost();
        using var client = host.ClientFor("http://localhost:5278");

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.Equal(preloads, head.Contains($"<link rel=\"preload\" as=\"script\" href=\"{PlotlyScript.Url}\"", StringComparison.Ordinal));
        // Never run from the page's HTML: population-map.js runs it after painting the points.
        Assert.DoesNotContain($"<script src=\"{PlotlyScript.Url}", html, StringComparison.Ordinal);
    }
}
