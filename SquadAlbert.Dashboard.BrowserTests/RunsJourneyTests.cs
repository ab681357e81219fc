using System.Globalization;
using Microsoft.Playwright;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>The Runs, Slices and Compare pages in a real browser, over the prepared run; starting and cancelling a run from the page.</summary>
[Collection(DashboardGroup.Name)]
public sealed class RunsJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions LongWait = new() { Timeout = 180_000 };

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    private string Url(string relative) => new Uri(server.BaseAddress, relative.TrimStart('/')).ToString();

    private RunInfo PreparedRunInfo() => new RunStore(AppSchema.Initialize(server.Run.DatabasePath)).Find(server.Run.RunId)!;

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    [Fact]
    public async Task The_start_page_lists_the_prepared_run_with_its_figures_and_links()
    {
        var (page, external) = await server.NewPageAsync();
        var run = PreparedRunInfo();
        var id = server.Run.RunId;

        await OpenAsync(page, server.BaseAddress.ToString());
        await page.Locator($"[data-testid=run-em-{id}]").WaitForAsync(Visible);

        Assert.Equal(run.ExactMatch!.Value.ToString("F2", CultureInfo.InvariantCulture), await page.Locator($"[data-testid=run-em-{id}]").TextContentAsync());
        Assert.Equal(run.F1!.Value.ToString("F2", CultureInfo.InvariantCulture), await page.Locator($"[data-testid=run-f1-{id}]").TextContentAsync());
        Assert.Equal(server.Run.SampleCount.ToString("N0", CultureInfo.InvariantCulture), await page.Locator($"[data-testid=run-samples-{id}]").TextContentAsync());
        Assert.Contains("validation (", await page.Locator($"[data-testid=run-splits-{id}]").TextContentAsync(), StringComparison.Ordinal);
        Assert.EndsWith($"/runs/{id}/map", await page.Locator($"[data-testid=run-map-{id}]").GetAttributeAsync("href"), StringComparison.Ordinal);

        await page.Locator($"[data-testid=run-slices-{id}]").ClickAsync();
        await page.WaitForURLAsync($"**/runs/{id}/slices", new PageWaitForURLOptions { Timeout = 30_000 });
        Assert.Empty(external);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_slices_page_draws_a_chart_and_table_per_slicing_and_the_loss_histogram()
    {
        var (page, external) = await server.NewPageAsync();

        await OpenAsync(page, Url($"runs/{server.Run.RunId}/slices"));
        await page.Locator("#question-type-chart .bars path").First.WaitForAsync(Visible);
        await page.Locator("#loss-histogram .bars path").First.WaitForAsync(Visible);

        foreach (var chart in new[] { "answer-type", "relation", "cluster", "context-length", "title" })
        {
            await page.Locator($"#{chart}-chart .bars path").First.WaitForAsync(Visible);
        }
        Assert.Equal(PreparedRun.Articles, await page.Locator("[data-testid=slice-table-title] tbody tr").CountAsync());
        // The prepared run had its latent analysis, so it slices by k-means cluster too.
        Assert.Equal(0, await page.Locator("[data-testid=slices-no-clusters]").CountAsync());
        Assert.Equal(PreparedRun.LatentSettings.EffectiveClusterCount(server.Run.SampleCount), await page.Locator("[data-testid=slice-table-cluster] tbody tr").CountAsync());
        Assert.Equal("true", await page.Locator("[data-testid=run-tab-slices]").EvaluateAsync<string>("e => String(e.classList.contains('mud-button-filled'))"));
        Assert.Empty(external);
        await ScreenshotAsync(page, "slices.png");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_run_compared_with_itself_has_no_flips()
    {
        var (page, _) = await server.NewPageAsync();
        var id = server.Run.RunId;

        await OpenAsync(page, Url($"runs/compare?a={id}&b={id}"));
        await page.Locator("[data-testid=compare-cards]").WaitForAsync(Visible);

        Assert.Equal("0", await page.Locator("[data-testid=compare-right-to-wrong]").TextContentAsync());
        Assert.Equal("0", await page.Locator("[data-testid=compare-wrong-to-right]").TextContentAsync());
        Assert.Equal("0.00", await page.Locator("[data-testid=compare-delta-f1]").TextContentAsync());
        await page.Locator("[data-testid=compare-no-flips]").WaitForAsync(Visible);

        await OpenAsync(page, Url($"runs/compare?a={id}&b=999"));
        Assert.Contains("no run 999", await page.Locator("[data-testid=compare-error]").TextContentAsync(), StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Starting_a_run_from_the_page_shows_progress_and_lists_the_new_run()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, server.BaseAddress.ToString());

        await FillDataPathAsync(page, server.Run.DataFile);
        await page.Locator("[data-testid=start-button]").ClickAsync();

        await page.Locator("[data-testid=run-progress]").WaitForAsync(Visible);
        await Assertions.Expect(page.Locator("[data-testid=run-progress]")).ToHaveAttributeAsync("data-status", "finished", LongWait);
        var message = await page.Locator("[data-testid=run-progress-message]").TextContentAsync();
        Assert.Contains("batches computed", message, StringComparison.Ordinal);
        var slicesLink = await page.Locator("[data-testid=run-progress-slices]").GetAttributeAsync("href");
        var newRun = long.Parse(slicesLink!.Split('/')[2], CultureInfo.InvariantCulture);
        Assert.NotEqual(server.Run.RunId, newRun);
        await Assertions.Expect(page.Locator($"[data-testid=run-status-{newRun}]")).ToHaveTextAsync("finished");
        Assert.Equal(server.Run.SampleCount.ToString("N0", CultureInfo.InvariantCulture), await page.Locator($"[data-testid=run-samples-{newRun}]").TextContentAsync());
        await ScreenshotAsync(page, "runs.png");

        // The new run (default window settings) against the prepared one (128-token windows): same questions, other answers.
        await OpenAsync(page, Url(RunRoutesCompare(server.Run.RunId, newRun)));
        await page.Locator("[data-testid=compare-cards]").WaitForAsync(Visible);
        Assert.Contains(server.Run.SampleCount.ToString("N0", CultureInfo.InvariantCulture) + " questions in both runs",
            await page.Locator(".mud-main-content").TextContentAsync(), StringComparison.Ordinal);
        var f1Changes = int.Parse(await page.Locator("[data-testid=compare-f1-improved]").TextContentAsync() ?? "", CultureInfo.InvariantCulture)
            + int.Parse(await page.Locator("[data-testid=compare-f1-worsened]").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        await page.GetByText("Include F1 changes").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=compare-rows-title]")).ToContainTextAsync("F1 changed");
        Assert.True(f1Changes > 0, "other window sizes move some answers of the same random model");
        await page.Locator("[data-testid=compare-flips] tbody tr").First.WaitForAsync(Visible);
        Assert.Contains($"/runs/{newRun}/samples/", await page.Locator("[data-testid=compare-flips] tbody tr a").First.GetAttributeAsync("href"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "compare.png");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_started_run_can_be_cancelled_and_resumed()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, server.BaseAddress.ToString());
        var progress = page.Locator("[data-testid=run-progress]");

        await FillDataPathAsync(page, Path.Combine(TestPaths.SquadDir, "dev-v1.1.json"));
        await page.Locator("[data-testid=start-button]").ClickAsync();
        await page.Locator("[data-testid=run-cancel]").ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-status", "cancelled", LongWait);
        Assert.Contains("Resume", await page.Locator("[data-testid=run-progress-message]").TextContentAsync(), StringComparison.Ordinal);

        await page.Locator("[data-testid=run-resume]").ClickAsync();
        await page.Locator("[data-testid=run-cancel]").ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-status", "cancelled", LongWait);
        await page.CloseAsync();
    }

    private static string RunRoutesCompare(long a, long b) => string.Create(CultureInfo.InvariantCulture, $"runs/compare?a={a}&b={b}");

    /// <summary>Types a SQuAD file path into the start form (dev preset) and leaves the field so the value is bound.</summary>
    private static async Task FillDataPathAsync(IPage page, string path)
    {
        var field = page.Locator("[data-testid=start-data-path] input, input[data-testid=start-data-path]").First;
        await field.WaitForAsync(Visible);
        await field.FillAsync(path);
        await field.PressAsync("Tab");
    }
}
