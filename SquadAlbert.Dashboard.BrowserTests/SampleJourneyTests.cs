using Microsoft.Playwright;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>The sample page of the prepared run in a real browser: tokens, the attribution heatmap, neighbours and review.</summary>
[Collection(DashboardGroup.Name)]
public sealed class SampleJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 120_000 };

    private async Task<IPage> OpenSampleAsync(int sampleIndex)
    {
        var (page, _) = await server.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{server.Run.RunId}/samples/{sampleIndex}").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("#context-text .tok").First.WaitForAsync(Visible);
        return page;
    }

    [Fact]
    public async Task A_sample_shows_its_tokens_and_after_computing_the_heatmap_with_its_completeness_error()
    {
        var page = await OpenSampleAsync(3);

        Assert.True(await page.Locator("#context-text .tok").CountAsync() > 20);
        Assert.True(await page.Locator("#question-text .tok").CountAsync() > 2);
        Assert.True(await page.Locator("#context-text .gold, #context-text .overlap").CountAsync() > 0);
        Assert.Equal(0, await page.Locator("#context-text .tok[style*=background-color]").CountAsync());
        await page.Locator("[data-testid=neighbour]").First.WaitForAsync(Visible);
        Assert.Equal(10, await page.Locator("[data-testid=neighbour]").CountAsync());

        var steps = page.Locator("[data-testid=attribution-steps] input").Or(page.Locator("input[data-testid=attribution-steps]"));
        await steps.FillAsync("8");
        await steps.PressAsync("Tab");
        await page.Locator("[data-testid=attribution-compute]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=completeness]")).ToContainTextAsync("relative error", Soon);
        Assert.Contains("8 steps (adaptive)", await page.Locator("[data-testid=attribution-legend]").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#context-text .tok[style*=background-color]").CountAsync() > 10);

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "sample.png"), FullPage = true });
        }

        // The result is cached: a reload shows it without computing.
        await page.ReloadAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await steps.FillAsync("8");
        await steps.PressAsync("Tab");
        await Assertions.Expect(page.Locator("[data-testid=attribution-legend]")).ToContainTextAsync("cached", Soon);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_neighbour_opens_its_own_sample_page()
    {
        var page = await OpenSampleAsync(4);
        await page.Locator("[data-testid=neighbour]").First.WaitForAsync(Visible);
        var href = await page.Locator("[data-testid=neighbour]").First.GetAttributeAsync("href");

        await page.Locator("[data-testid=neighbour]").First.ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith(href!, StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=page-title]")).ToContainTextAsync("Sample " + href!.Split('/')[^1]);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_flag_with_its_note_survives_a_reload()
    {
        var page = await OpenSampleAsync(5);

        await page.Locator("textarea[data-testid=decision-note], [data-testid=decision-note] textarea").FillAsync("the gold names a different year");
        await page.Locator("[data-testid=decide-wrong]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=decision]")).ToContainTextAsync("Flagged: gold is wrong");

        await page.ReloadAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=decision]")).ToContainTextAsync("Flagged: gold is wrong");
        Assert.Equal("the gold names a different year", await page.Locator("textarea[data-testid=decision-note], [data-testid=decision-note] textarea").InputValueAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Selecting_text_in_the_context_and_fixing_makes_it_the_gold()
    {
        var page = await OpenSampleAsync(7);

        // Select from the start of the 6th token to the end of the 8th, as a mouse drag would.
        var selected = await page.EvaluateAsync<string>("""
            () => {
                const tokens = document.querySelectorAll('#context-text .tok');
                const range = document.createRange();
                range.setStart(tokens[5].firstChild, 0);
                range.setEnd(tokens[7].firstChild, tokens[7].firstChild.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return selection.toString();
            }
            """);
        await page.Locator("[data-testid=decide-fix]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=decision]")).ToContainTextAsync("Fixed");
        await Assertions.Expect(page.Locator("[data-testid=gold-0]")).ToContainTextAsync(selected.Trim());
        Assert.Contains(selected.Trim(), string.Concat(await page.Locator("#context-text .gold, #context-text .overlap").AllTextContentsAsync()), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("#context-text .tok").Nth(5).Or(page.Locator("#context-text .tok").Nth(6)).Or(page.Locator("#context-text .tok").Nth(7))
            .And(page.Locator(".gold, .overlap")).CountAsync());
        await page.CloseAsync();
    }
}
