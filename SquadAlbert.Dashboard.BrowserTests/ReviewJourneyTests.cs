using Microsoft.Playwright;
using System.Globalization;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>The label review queue of the prepared run: keyboard decisions and the exports.</summary>
[Collection(DashboardGroup.Name)]
public sealed class ReviewJourneyTests(DashboardServer server)
{
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };

    private async Task<IPage> OpenReviewAsync()
    {
        var (page, _) = await server.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{server.Run.RunId}/review").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("[data-testid=review-queue][data-shortcuts=on]").WaitForAsync(Visible);
        await page.Locator("[data-testid=review-item][data-current=true]").WaitForAsync(Visible);
        return page;
    }

    private static ILocator Item(IPage page, string sampleIndex) => page.Locator($"[data-testid=review-item][data-sample='{sampleIndex}']");

    [Fact]
    public async Task Keys_move_through_the_queue_and_decide_and_the_decision_survives_a_reload()
    {
        var page = await OpenReviewAsync();
        var first = await page.Locator("[data-testid=review-item][data-current=true]").GetAttributeAsync("data-sample");
        var samples = new RunSampleReader(AppSchema.Initialize(server.Run.DatabasePath)).All(server.Run.RunId);
        if (samples.Any(s => s.Label.ErrorScore is not null))
        {
            Assert.Equal(0, await page.Locator("[data-testid=order-note]").CountAsync());
            Assert.Equal(samples.Max(s => s.Label.ErrorScore), samples.Single(s => s.SampleIndex.ToString(CultureInfo.InvariantCulture) == first).Label.ErrorScore);
        }
        else
        {
            await Assertions.Expect(page.Locator("[data-testid=order-note]")).ToContainTextAsync("ordered by loss");
            Assert.Equal(samples.Max(s => s.Loss), samples.Single(s => s.SampleIndex.ToString(CultureInfo.InvariantCulture) == first).Loss);
        }

        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(Item(page, first!)).ToHaveAttributeAsync("data-current", "false");
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(Item(page, first!)).ToHaveAttributeAsync("data-current", "true");
        await page.Keyboard.PressAsync("a");

        await Assertions.Expect(Item(page, first!).Locator("[data-testid=item-decision]")).ToHaveTextAsync("correct");
        await Assertions.Expect(Item(page, first!)).ToHaveAttributeAsync("data-current", "false");
        var second = await page.Locator("[data-testid=review-item][data-current=true]").GetAttributeAsync("data-sample");
        await page.Keyboard.PressAsync("q");
        await Assertions.Expect(Item(page, second!).Locator("[data-testid=item-decision]")).ToHaveTextAsync("ambiguous");

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "review.png"), FullPage = false });
        }

        await page.ReloadAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await Assertions.Expect(Item(page, first!).Locator("[data-testid=item-decision]")).ToHaveTextAsync("correct");
        await page.Locator("input[data-testid=undecided-only], [data-testid=undecided-only] input").CheckAsync();
        await Assertions.Expect(Item(page, first!)).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_corrected_squad_export_downloads_and_loads_without_the_flagged_questions()
    {
        var page = await OpenReviewAsync();
        var flagged = page.Locator("[data-testid=review-item]").Nth(3);
        var flaggedSample = await flagged.GetAttributeAsync("data-sample");
        await flagged.Locator("[data-testid=flag-wrong]").ClickAsync();
        await Assertions.Expect(Item(page, flaggedSample!).Locator("[data-testid=item-decision]")).ToHaveTextAsync("wrong");
        await page.Locator("input[data-testid=remove-flagged], [data-testid=remove-flagged] input").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-squad]")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("removeFlagged=true$"));

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-squad]").ClickAsync());
        var path = Path.Combine(server.Run.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        var csvPath = Path.Combine(server.Run.Folder, csvDownload.SuggestedFilename);
        await csvDownload.SaveAsAsync(csvPath);

        var exported = SquadLoader.Load(path);
        var original = SquadLoader.Load(server.Run.DataFile);
        Assert.True(exported.Validation.IsClean, exported.ValidationWarning);
        var csv = await File.ReadAllLinesAsync(csvPath);
        Assert.Equal("run_id,sample_index,example_id,decision,note,fixed_text,fixed_start,decided_at", csv[0]);
        var flaggedRow = csv.Single(line => line.Split(',')[1] == flaggedSample);
        var flaggedId = flaggedRow.Split(',')[2];
        Assert.Contains(",wrong,", flaggedRow, StringComparison.Ordinal);
        Assert.Contains(original.Examples, e => e.Id == flaggedId);
        Assert.DoesNotContain(exported.Examples, e => e.Id == flaggedId);
        var removed = csv.Skip(1).Count(line => line.Contains(",wrong,", StringComparison.Ordinal) || line.Contains(",ambiguous,", StringComparison.Ordinal));
        Assert.Equal(original.Examples.Count - removed, exported.Examples.Count);
        await page.CloseAsync();
    }
}
