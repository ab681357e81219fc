using Microsoft.Playwright;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>Edit and re-run on the sample page of the prepared run: edit → new prediction → save variant → export.</summary>
[Collection(DashboardGroup.Name)]
public sealed class WhatIfJourneyTests(DashboardServer server)
{
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 120_000 };

    [Fact]
    public async Task An_edited_question_is_answered_saved_as_a_variant_and_exported_as_squad()
    {
        var (page, _) = await server.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{server.Run.RunId}/samples/7").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        var question = page.Locator("input[data-testid=whatif-question], [data-testid=whatif-question] input");
        await question.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        var original = await question.InputValueAsync();
        var edited = "Tell me, " + original;

        await question.FillAsync(edited);
        await question.PressAsync("Tab");
        await page.Locator("[data-testid=whatif-run]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=whatif-probability]")).ToContainTextAsync("probability", Soon);
        Assert.NotEmpty(await page.Locator("[data-testid=whatif-prediction]").TextContentAsync() ?? "");
        await Assertions.Expect(page.Locator("[data-testid=whatif-question-diff] .diff-added")).ToHaveTextAsync("Tell me, ");
        await Assertions.Expect(page.Locator("[data-testid=whatif-changed]")).ToContainTextAsync("rediction");
        await Assertions.Expect(page.Locator("#whatif-probabilities .main-svg").First).ToBeAttachedAsync(new LocatorAssertionsToBeAttachedOptions { Timeout = 60_000 });
        Assert.True(await page.Locator("[data-testid=whatif-nbest-row]").CountAsync() > 0);

        await page.Locator("[data-testid=whatif-save]").ClickAsync();
        var row = page.Locator("[data-testid=whatif-variant]").First;
        await Assertions.Expect(row).ToContainTextAsync(edited);
        var id = (await row.Locator("td").First.TextContentAsync())!.Trim();
        Assert.EndsWith("-v1", id, StringComparison.Ordinal);

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.Locator("[data-testid=whatif-panel]").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, "whatif.png") });
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=whatif-export]").ClickAsync());
        var path = Path.Combine(server.Run.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        var exported = SquadLoader.Load(path);
        var variant = exported.Examples.Single(e => e.Id == id);
        Assert.Equal(edited, variant.Question);
        Assert.True(exported.Validation.IsClean, exported.ValidationWarning);
        await page.CloseAsync();
    }
}
