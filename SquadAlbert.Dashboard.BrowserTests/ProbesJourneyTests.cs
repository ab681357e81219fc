using Microsoft.Playwright;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>Counterfactual probes on the prepared run: start probes over a small slice → the flip table fills → the map opens
/// coloured by a probe's outcome.</summary>
[Collection(DashboardGroup.Name)]
public sealed class ProbesJourneyTests(DashboardServer server)
{
    private const string LegendText = "Array.from(document.querySelectorAll('#population-map .legend .legendtext')).map(e => e.textContent).join('|')";
    private static readonly string[] Outcomes = ["yes", "no", "not applicable", "not probed"];
    private static readonly LocatorAssertionsToHaveCountOptions Soon = new() { Timeout = 180_000 };

    [Fact]
    public async Task Probes_over_a_small_slice_fill_the_flip_table_and_colour_the_map()
    {
        var (page, external) = await server.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{server.Run.RunId}/probes").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        var limit = page.Locator("input[data-testid=probe-limit], [data-testid=probe-limit] input");
        await limit.FillAsync("10");
        await limit.PressAsync("Tab");

        await page.Locator("[data-testid=probe-start]").ClickAsync();

        var rows = page.Locator("[data-testid=probe-run-row]");
        await Assertions.Expect(page.Locator("[data-testid=probe-progress][data-status=finished]")).ToHaveCountAsync(1, Soon);
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasText = "whole run (first 10)" })).ToHaveCountAsync(4);
        var distractor = page.Locator("[data-testid=probe-run-row][data-probe=distractor]").First;
        await Assertions.Expect(distractor.Locator("[data-testid=probe-run-applicable]")).ToContainTextAsync(" of 10");
        await Assertions.Expect(distractor.Locator("[data-testid=probe-run-rate]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d+\.\d %|–)$"));

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.Locator("[data-testid=probe-table]").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, "probes.png") });
        }

        await distractor.Locator("[data-testid=probe-run-map-link]").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/map\\?colour=probe_distractor$"), new PageWaitForURLOptions { Timeout = 60_000 });
        await page.WaitForFunctionAsync($"({LegendText}).includes('not probed')", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        var legend = await page.EvaluateAsync<string>(LegendText);
        // Ten samples were probed: the rest of the run is "not probed", the ten are yes / no / not applicable.
        var counts = legend.Split('|').ToDictionary(e => e[..e.LastIndexOf(" (", StringComparison.Ordinal)], e => int.Parse(e[(e.LastIndexOf('(') + 1)..^1].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(server.Run.SampleCount - 10, counts["not probed"]);
        Assert.Equal(10, counts.Where(c => c.Key != "not probed").Sum(c => c.Value));
        Assert.All(counts.Keys, k => Assert.Contains(k, Outcomes));
        await Assertions.Expect(page.Locator("[data-testid=colour-select]")).ToContainTextAsync("Flips under distractor sentence");
        Assert.Empty(external);
        await page.CloseAsync();
    }
}
