using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// A small SQuAD 2.0 run in a real browser: the first two Normans paragraphs of dev-v2.0.json (17 questions, 9
/// unanswerable) analysed by the prepared run's tiny ALBERT into the server's database, with a null threshold between the
/// questions' null − best span differences so that the reader abstains on about half of them. The Slices page's
/// threshold slider re-scores the run; an unanswerable sample shows its null score beside the best span.
/// </summary>
[Collection(DashboardGroup.Name)]
public sealed class Squad2JourneyTests(DashboardServer server)
{
    private const int Paragraphs = 2;
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };
    private static readonly AnalysisSettings Settings = new(MaxSeqLength: 128, DocStride: 64, MaxQueryLength: 32);

    [Fact]
    public async Task The_threshold_slider_rescores_a_squad2_run_and_an_unanswerable_sample_shows_its_null_score()
    {
        var (runId, threshold) = await Task.Run(CreateRun);
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        var samples = new RunSampleReader(database).All(runId);
        var atRun = NoAnswerThresholdAt(database, runId, threshold);
        Assert.InRange(atRun.Abstentions, 1, samples.Count - 1);

        var (page, external) = await server.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{runId}/slices").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("[data-testid=no-answer-panel]").WaitForAsync(Visible);
        await page.Locator("#abstention-pr .main-svg").First.WaitForAsync(Visible);
        Assert.Equal(threshold.ToString("F3", CultureInfo.InvariantCulture), await page.Locator("[data-testid=threshold-value]").TextContentAsync());
        Assert.Equal(Text(atRun.Exact), await page.Locator("[data-testid=em-all]").TextContentAsync());
        Assert.Equal(Text(atRun.NoAnsExact), await page.Locator("[data-testid=em-no-ans]").TextContentAsync());
        Assert.StartsWith($"{atRun.Abstentions} abstentions", await page.Locator("[data-testid=abstentions]").TextContentAsync(), StringComparison.Ordinal);

        // The slider to its right end: above every difference, the reader answers everything.
        var slider = page.Locator("[data-testid=no-answer-panel] input[type=range]");
        await slider.FocusAsync();
        await slider.PressAsync("End");

        await Assertions.Expect(page.Locator("[data-testid=em-no-ans]")).ToHaveTextAsync("0.00", Soon);
        await Assertions.Expect(page.Locator("[data-testid=abstentions]")).ToContainTextAsync("0 abstentions,", new() { Timeout = 30_000 });
        Assert.NotEqual(threshold.ToString("F3", CultureInfo.InvariantCulture), await page.Locator("[data-testid=threshold-value]").TextContentAsync());
        var thresholdShown = double.Parse((await page.Locator("[data-testid=threshold-value]").TextContentAsync())!, CultureInfo.InvariantCulture);
        Assert.Equal(Text(NoAnswerThresholdAt(database, runId, thresholdShown).Exact), await page.Locator("[data-testid=em-all]").TextContentAsync());

        // The run's threshold again.
        await page.Locator("[data-testid=use-run-threshold]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=em-all]")).ToHaveTextAsync(Text(atRun.Exact), Soon);
        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "slices-squad2.png"), FullPage = true });
        }

        var unanswerable = samples.First(s => s.IsUnanswerable);
        await page.GotoAsync(new Uri(server.BaseAddress, $"runs/{runId}/samples/{unanswerable.SampleIndex}").ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("[data-testid=null-answer]").WaitForAsync(Visible);
        var panel = (await page.Locator("[data-testid=null-answer]").TextContentAsync())!;
        Assert.Contains("Null score ([CLS])" + unanswerable.NoAnswer!.NullScore!.Value.ToString("0.000", CultureInfo.InvariantCulture), panel, StringComparison.Ordinal);
        Assert.Contains("Markedunanswerable", panel, StringComparison.Ordinal);
        Assert.Contains("Outcome" + unanswerable.NoAnswer.Outcome, panel, StringComparison.Ordinal);
        Assert.Equal("No answer (marked unanswerable)", await page.Locator("[data-testid=gold-none]").TextContentAsync());
        Assert.Empty(external);
        await page.CloseAsync();
    }

    /// <summary>Analyses the subset at threshold 0 into a scratch database to learn the differences, then into the server's
    /// database at the midpoint of the two middle ones. Returns the run and its threshold.</summary>
    private (long RunId, double Threshold) CreateRun()
    {
        var dev = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.SquadDir, SquadFiles.DevV20)))!.AsObject();
        var article = dev["data"]!.AsArray()[0]!.DeepClone().AsObject();
        var paragraphs = article["paragraphs"]!.AsArray();
        while (paragraphs.Count > Paragraphs)
        {
            paragraphs.RemoveAt(paragraphs.Count - 1);
        }
        var dataFile = Path.Combine(server.Run.Folder, "dev-v2.0-normans.json");
        File.WriteAllText(dataFile, new JsonObject { ["version"] = "v2.0", ["data"] = new JsonArray(article) }.ToJsonString());
        var population = PopulationPresets.Dev(SquadLoader.Load(dataFile));

        var scratch = AppSchema.Initialize(Path.Combine(server.Run.Folder, "squad2-scratch.db"));
        var first = AnalysisRunner.Run(scratch, new AnalysisRequest(server.Run.ModelFolder, population, [dataFile], Settings with { NullThreshold = 0 }, Force: false, Threads: 2));
        var differences = RunNoAnswerSamples.Load(scratch, first.RunId)!.Select(s => s.NullScoreDiff!.Value).Order().ToList();
        var middle = differences.Count / 2;
        var threshold = Math.Round((differences[middle - 1] + differences[middle]) / 2, 3);

        var request = new AnalysisRequest(server.Run.ModelFolder, population, [dataFile], Settings with { NullThreshold = threshold }, Force: false, Threads: 2);
        return (AnalysisRunner.Run(AppSchema.Initialize(server.Run.DatabasePath), request).RunId, threshold);
    }

    private static Analysis.Metrics.ThresholdScores NoAnswerThresholdAt(SqliteConnectionFactory database, long runId, double threshold) =>
        Analysis.Metrics.NoAnswerThresholdCurve.At(RunNoAnswerSamples.Load(database, runId)!, threshold);

    private static string Text(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
