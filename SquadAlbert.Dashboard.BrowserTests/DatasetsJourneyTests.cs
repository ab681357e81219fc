using Microsoft.Playwright;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>The Datasets page in a real browser, against the real dev and train files.</summary>
[Collection(DashboardGroup.Name)]
public sealed class DatasetsJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };

    /// <summary>Opens <paramref name="url"/> and waits until the circuit runs (prerendered markup ignores clicks).</summary>
    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    [Fact]
    public async Task Opens_on_dev_with_its_statistics_and_charts_drawn_from_local_assets_only()
    {
        var (page, external) = await server.NewPageAsync();

        await OpenAsync(page, new Uri(server.BaseAddress, "datasets").ToString());
        await page.Locator("[data-testid=stat-cards]").WaitForAsync(Visible);
        await page.Locator("#titles-chart .bars path").First.WaitForAsync(Visible);

        Assert.Equal("10,570", await page.Locator("[data-testid=stat-questions]").TextContentAsync());
        Assert.Equal("48", await page.Locator("[data-testid=stat-articles]").TextContentAsync());
        Assert.Equal(10, await page.Locator("#titles-chart .bars path").CountAsync());
        Assert.Contains("Super Bowl 50", await page.Locator("#titles-chart").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("No problems", await page.Locator("[data-testid=validation]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(external);

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "datasets.png"), FullPage = true });
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task Choosing_another_file_updates_the_page_and_the_url_which_survives_a_reload()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, new Uri(server.BaseAddress, "datasets").ToString());
        await page.Locator("[data-testid=stat-cards]").WaitForAsync(Visible);

        await page.Locator("[data-testid=file-select]").ClickAsync();
        await page.Locator(".mud-popover .mud-list-item", new PageLocatorOptions { HasText = "train-v1.1.json" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=stat-questions]")).ToHaveTextAsync("87,599", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        Assert.EndsWith("/datasets?file=train-v1.1.json", page.Url, StringComparison.Ordinal);

        await page.ReloadAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=stat-questions]")).ToHaveTextAsync("87,599", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        Assert.Equal("442", await page.Locator("[data-testid=stat-articles]").TextContentAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Dark_mode_toggles_the_theme()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, new Uri(server.BaseAddress, "datasets").ToString());
        await page.Locator("[data-testid=stat-cards]").WaitForAsync(Visible);
        var before = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();

        await page.WaitForFunctionAsync($"getComputedStyle(document.body).backgroundColor !== '{before}'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await page.CloseAsync();
    }
}
