// Refreshes docs/screenshots/ from a running dashboard that shows a real analysis database.
//
//   SQUADALBERT_DB=real.db SQUADALBERT_MODEL=models/minilm-squad \
//     dotnet run -c Release --project SquadAlbert.Dashboard -- --urls http://127.0.0.1:5391 &
//   dotnet run scripts/screenshots.cs -- http://127.0.0.1:5391 docs/screenshots [SHOT ...]
//
// SHOT is one of map, map-quotes, clusters, sample, slices, review (default: all but map-quotes); clusters.png is the k-means table sorted by
// mean loss (highest first). Settings (environment):
//   FINDINGS_DEV_RUN (1)          a run of all of dev-v1.1: clusters.png (k-means table) and review.png (the queue)
//   FINDINGS_TENSORLEAP_RUN (2)   a run of the tensorleap preset: map.png (coloured by split), slices.png and
//                                 map-quotes.png (filtered to relation = quotation marks only, coloured by title)
//   FINDINGS_SAMPLE (326)         the sample of the tensorleap run shown with its heatmap in sample.png
//                                 (326 = "When did Beyoncé release Formation?" in our database)
// The sample page computes its integrated-gradients heatmap (target loss, 16 steps, the page's default) on first
// view and caches it in the database, so the first sample shot takes a minute on a CPU. Pages are shot at 1400×900,
// as PNG, the viewport only (not the full page), to keep the files small. Chromium is Debian's /usr/bin/chromium.
#:package Microsoft.Playwright
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property PublishAot=false

using Microsoft.Playwright;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: dotnet run scripts/screenshots.cs -- BASE_URL OUT_DIR [map|clusters|sample|slices|review ...]");
    return 2;
}
var baseUrl = args[0].TrimEnd('/');
var outDir = Directory.CreateDirectory(args[1]).FullName;
var shots = args.Length > 2 ? args[2..] : ["map", "clusters", "sample", "slices", "review"];
var devRun = Environment.GetEnvironmentVariable("FINDINGS_DEV_RUN") ?? "1";
var tlRun = Environment.GetEnvironmentVariable("FINDINGS_TENSORLEAP_RUN") ?? "2";
var sample = Environment.GetEnvironmentVariable("FINDINGS_SAMPLE") ?? "326";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
page.SetDefaultTimeout(180_000);

async Task Open(string path)
{
    await page.GotoAsync(baseUrl + path);
    await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
}

async Task Shot(string name)
{
    await page.WaitForTimeoutAsync(1500); // Plotly and MudBlazor transitions
    var path = Path.Combine(outDir, name);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
    Console.WriteLine($"{path} ({new FileInfo(path).Length / 1024} KiB)");
}

foreach (var shot in shots)
{
    switch (shot)
    {
        case "map":
            await Open($"/runs/{tlRun}/map?colour=split");
            await page.WaitForFunctionAsync("document.getElementById('population-map')?.dataset.pointCount !== undefined");
            await Shot("map.png");
            break;
        case "map-quotes":
            // The map filtered to the predictions that differ from the gold only by quotation marks, coloured by title.
            await Open($"/runs/{tlRun}/map?colour=title&filter={Uri.EscapeDataString("relation=quotation marks only")}");
            await page.WaitForFunctionAsync("document.getElementById('population-map')?.dataset.pointCount !== undefined");
            Console.WriteLine(await page.Locator("[data-testid=visible-summary]").InnerTextAsync());
            await Shot("map-quotes.png");
            break;
        case "clusters":
            await Open($"/runs/{devRun}/clusters");
            await page.Locator("[data-testid=clusters-table]").WaitForAsync();
            // Highest mean loss first: the sort label sorts ascending on the first click, descending on the second.
            var meanLoss = page.Locator("[data-testid=clusters-table] th .mud-table-sort-label", new PageLocatorOptions { HasText = "Mean loss" });
            await meanLoss.ClickAsync();
            await meanLoss.ClickAsync();
            await Shot("clusters.png");
            break;
        case "sample":
            await Open($"/runs/{tlRun}/samples/{sample}");
            await page.Locator("#context-text .tok").First.WaitForAsync();
            await page.Locator("[data-testid=neighbour]").First.WaitForAsync();
            if (await page.Locator("#context-text .tok[style*=background-color]").CountAsync() == 0)
            {
                await page.Locator("[data-testid=attribution-compute]").ClickAsync();
            }
            await page.Locator("[data-testid=completeness]").WaitForAsync();
            await page.Locator("[data-testid=completeness]").ScrollIntoViewIfNeededAsync();
            await Shot("sample.png");
            break;
        case "slices":
            await Open($"/runs/{tlRun}/slices");
            await page.Locator("[data-testid=slice-relation]").WaitForAsync();
            await page.EvaluateAsync("window.scrollTo(0, document.querySelector('[data-testid=slice-relation]').getBoundingClientRect().top + window.scrollY - 80)");
            await Shot("slices.png");
            break;
        case "review":
            await Open($"/runs/{devRun}/review");
            await page.Locator("[data-testid=review-item]").First.WaitForAsync();
            await Shot("review.png");
            break;
        default:
            Console.Error.WriteLine($"unknown shot '{shot}'");
            return 2;
    }
}
return 0;
