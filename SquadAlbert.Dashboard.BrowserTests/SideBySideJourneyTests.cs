using Microsoft.Playwright;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// Two readers on one question: the prepared ALBERT run against the prepared BERT run (different models and tokenizers over
/// the same first dev questions), from the Compare page to the side-by-side view, its neighbour lists and a heatmap.
/// </summary>
[Collection(DashboardGroup.Name)]
public sealed class SideBySideJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 120_000 };

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    [Fact]
    public async Task A_compared_question_opens_side_by_side_with_both_answers_neighbours_and_a_heatmap()
    {
        var (page, external) = await server.NewPageAsync();
        var (a, b) = (server.Run.RunId, server.Run.BertRunId);
        await OpenAsync(page, new Uri(server.BaseAddress, $"runs/compare?a={a}&b={b}").ToString());
        await page.Locator("[data-testid=compare-cards]").WaitForAsync(Visible);

        // Two tiny random readers rarely flip exact match; the F1 changes list holds the flips and the F1 changes.
        await page.GetByText("Include F1 changes").ClickAsync();
        // The table re-renders with the longer list: take a row only once it shows, and click that row's link by its address.
        await Assertions.Expect(page.Locator("[data-testid=compare-rows-title]")).ToContainTextAsync("F1 changed", Soon);
        var first = page.Locator("[data-testid=compare-side-by-side]").First;
        await first.WaitForAsync(Visible);
        var href = (await first.GetAttributeAsync("href"))!;
        var question = (await first.TextContentAsync())!.Trim();
        Assert.Equal($"/runs/compare/sample?a={a}&b={b}&q={question}", href);
        await page.Locator($"[data-testid=compare-side-by-side][href='{href}']").ClickAsync();
        await page.WaitForURLAsync("**/runs/compare/sample?**", new PageWaitForURLOptions { Timeout = 30_000 });
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

        await Assertions.Expect(page.Locator("[data-testid=page-title]")).ToContainTextAsync(question, Soon);
        await page.Locator("[data-testid=a-prediction]").WaitForAsync(Visible);
        await page.Locator("[data-testid=b-prediction]").WaitForAsync(Visible);
        await Assertions.Expect(page.Locator("[data-testid=a-model]")).ToContainTextAsync("ALBERT", Soon);
        await Assertions.Expect(page.Locator("[data-testid=b-model]")).ToContainTextAsync("BERT · 2 layers", Soon);
        await Assertions.Expect(page.Locator("[data-testid=side-verdict]")).ToContainTextAsync("each heatmap is in its own model's tokens", Soon);
        await page.Locator("[data-testid=a-neighbour]").First.WaitForAsync(Visible);
        await page.Locator("[data-testid=b-neighbour]").First.WaitForAsync(Visible);
        Assert.StartsWith($"/runs/{a}/samples/", await page.Locator("[data-testid=a-neighbour]").First.GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.StartsWith($"/runs/{b}/samples/", await page.Locator("[data-testid=b-neighbour]").First.GetAttributeAsync("href"), StringComparison.Ordinal);

        // The BERT side's heatmap, in WordPiece tokens, with few steps to keep the journey cheap (10, not the BERT journey's 8: its cached row would hide that journey's Compute button).
        var steps = page.Locator("[data-testid=b-attribution-steps] input").Or(page.Locator("input[data-testid=b-attribution-steps]"));
        await steps.FillAsync("10");
        await steps.PressAsync("Tab");
        await page.Locator("[data-testid=b-attribution-compute]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=b-completeness]")).ToContainTextAsync("relative error", Soon);
        Assert.True(await page.Locator("#b-context-text .tok[style*=background-color]").CountAsync() > 10);
        Assert.Equal(0, await page.Locator("#a-context-text .tok[style*=background-color]").CountAsync());

        await page.Locator("[data-testid=side-back]").ClickAsync();
        await page.WaitForURLAsync($"**/runs/compare?a={a}&b={b}", new PageWaitForURLOptions { Timeout = 30_000 });
        Assert.Empty(external);
        await page.CloseAsync();
    }
}
