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
}
