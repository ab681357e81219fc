using System.Globalization;
using Microsoft.Playwright;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// Every page on a run of the default reader's family: a tiny random BERT with MiniLM's WordPiece vocabulary (the
/// other journeys use ALBERT). Runs list, map, sample page with its heatmap, and the review queue.
/// </summary>
[Collection(DashboardGroup.Name)]
public sealed class BertJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 120_000 };

    private long RunId => server.Run.BertRunId;

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    private string Url(string path) => new Uri(server.BaseAddress, path).ToString();

    [Fact]
    public async Task A_bert_run_is_listed_as_bert_and_its_map_draws_every_sample()
    {
        var (page, external) = await server.NewPageAsync();
        var run = new RunStore(AppSchema.Initialize(server.Run.DatabasePath)).Find(RunId)!;

        await OpenAsync(page, server.BaseAddress.ToString());
        await page.Locator($"[data-testid=run-em-{RunId}]").WaitForAsync(Visible);
        var row = page.Locator("[data-testid=runs-table] tr").Filter(new LocatorFilterOptions { Has = page.Locator($"[data-testid=run-em-{RunId}]") });
        Assert.Equal("BERT · 2 layers × 16 · WordPiece 30,522", await row.Locator("[data-testid=run-model-kind]").TextContentAsync());

        await OpenAsync(page, Url($"runs/{RunId}/map"));
        await page.WaitForFunctionAsync($"document.getElementById('population-map')?.dataset.pointCount === '{run.SampleCount}'", null,
            new PageWaitForFunctionOptions { Timeout = 120_000 });
        Assert.Empty(external);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_bert_sample_shows_wordpiece_tokens_neighbours_and_its_heatmap()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, Url($"runs/{RunId}/samples/2"));
        await page.Locator("#context-text .tok").First.WaitForAsync(Visible);

        Assert.StartsWith("BERT", await page.Locator("[data-testid=model-kind]").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#context-text .tok").CountAsync() > 20);
        Assert.True(await page.Locator("#context-text .gold, #context-text .overlap").CountAsync() > 0);
        await page.Locator("[data-testid=neighbour]").First.WaitForAsync(Visible);

        var steps = page.Locator("[data-testid=attribution-steps] input").Or(page.Locator("input[data-testid=attribution-steps]"));
        await steps.FillAsync("8");
        await steps.PressAsync("Tab");
        await page.Locator("[data-testid=attribution-compute]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=completeness]")).ToContainTextAsync("relative error", Soon);
        Assert.True(await page.Locator("#context-text .tok[style*=background-color]").CountAsync() > 10);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_review_queue_of_a_bert_run_opens_on_its_first_item()
    {
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, Url($"runs/{RunId}/review"));

        await page.Locator("[data-testid=review-item][data-current=true]").WaitForAsync(Visible);
        var first = await page.Locator("[data-testid=review-item][data-current=true]").GetAttributeAsync("data-sample");
        Assert.True(int.Parse(first!, CultureInfo.InvariantCulture) >= 0);
        await page.CloseAsync();
    }
}
