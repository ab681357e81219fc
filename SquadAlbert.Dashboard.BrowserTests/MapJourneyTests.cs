using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;
using Xunit.Abstractions;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>The population map and the cluster pages in a real browser, on the prepared run and on a synthetic 100k-sample run.</summary>
[Collection(DashboardGroup.Name)]
public sealed class MapJourneyTests(DashboardServer server, ITestOutputHelper output)
{
    private const string PointCount = "(() => { const gd = document.getElementById('population-map'); return (gd?.data ?? []).reduce((n, t) => n + t.x.length, 0); })()";
    private const string LegendText = "Array.from(document.querySelectorAll('#population-map .legend .legendtext')).map(e => e.textContent).join('|')";
    private static readonly LocatorWaitForOptions Visible = new() { State = WaitForSelectorState.Visible, Timeout = 60_000 };

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
    }

    /// <summary>Waits until the map has drawn (its module marks the point count) and returns the points in the plot's data.</summary>
    private static async Task<int> DrawnPointsAsync(IPage page, int? expected = null, float timeout = 120_000)
    {
        var condition = expected is { } n
            ? $"document.getElementById('population-map')?.dataset.pointCount === '{n}'"
            : "document.getElementById('population-map')?.dataset.pointCount !== undefined";
        await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = timeout });
        return await page.EvaluateAsync<int>(PointCount);
    }

    /// <summary>Drags a box over the whole plot area with the box-select tool; returns the selection table's count.</summary>
    private static async Task<int> BoxSelectWholePlotAsync(IPage page)
    {
        await page.Locator("#population-map .modebar-btn[data-val=select]").ClickAsync();
        var plot = await page.Locator("#population-map .nsewdrag").First.BoundingBoxAsync() ?? throw new InvalidOperationException("no plot area");
        await page.Mouse.MoveAsync(plot.X + 2, plot.Y + 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(plot.X + plot.Width / 2, plot.Y + plot.Height / 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.MoveAsync(plot.X + plot.Width - 2, plot.Y + plot.Height - 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.Locator("[data-testid=selection-table]").WaitForAsync(Visible);
        return int.Parse(await page.Locator("[data-testid=selection-summary-count]").TextContentAsync() ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private string MapUrl(long runId, string query = "") => new Uri(server.BaseAddress, $"/runs/{runId}/map{query}").ToString();

    /// <summary>The prepared run, whose latent stages gave it map coordinates and clusters (checked, not patched in).</summary>
    private long PreparedRunWithMap()
    {
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        Assert.True(MapPoints.Load(database, server.Run.RunId).HasCoordinates(MapProjection.Umap), "the prepared run has no UMAP coordinates");
        Assert.NotEmpty(ClusterRows.Load(database, server.Run.RunId, ClusterMethods.KMeans));
        return server.Run.RunId;
    }

    [Fact]
    public async Task The_map_draws_every_sample_and_colour_by_updates_the_legend_and_the_url()
    {
        var runId = PreparedRunWithMap();
        var (page, external) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId));

        Assert.Equal(server.Run.SampleCount, await DrawnPointsAsync(page));
        var legend = await page.EvaluateAsync<string>(LegendText);
        Assert.Matches(new Regex("^(yes|no) \\([\\d,]+\\)"), legend);

        await page.Locator("[data-testid=colour-select]").ClickAsync();
        await page.Locator(".mud-popover .mud-list-item", new PageLocatorOptions { HasText = "Question type (category)" }).ClickAsync();

        await page.WaitForFunctionAsync($"!({LegendText}).startsWith('yes') && !({LegendText}).startsWith('no')", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Contains("colour=question_type", page.Url, StringComparison.Ordinal);
        Assert.Equal(server.Run.SampleCount, await page.EvaluateAsync<int>(PointCount));
        Assert.Empty(external);

        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "map.png"), FullPage = true });
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_filter_in_the_url_shows_a_chip_and_removing_it_brings_every_point_back()
    {
        var runId = PreparedRunWithMap();
        var points = MapPoints.Load(AppSchema.Initialize(server.Run.DatabasePath), runId);
        var questionTypes = points.Categorical(MapFields.Get("question_type"));
        var commonest = questionTypes.Values[0];
        var matching = questionTypes.Codes.Count(c => c == 0);
        Assert.InRange(matching, 1, server.Run.SampleCount - 1);
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId, $"?filter={Uri.EscapeDataString("question_type=" + commonest)}"));

        Assert.Equal(matching, await DrawnPointsAsync(page, matching));
        await Assertions.Expect(page.Locator("[data-testid=filter-chip]")).ToHaveCountAsync(1);

        await page.Locator("[data-testid=filter-chip] .mud-chip-close-button").ClickAsync();

        Assert.Equal(server.Run.SampleCount, await DrawnPointsAsync(page, server.Run.SampleCount));
        Assert.DoesNotContain("filter=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=filter-chip]")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Clicking_a_point_opens_its_sample()
    {
        var runId = PreparedRunWithMap();
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId));
        await DrawnPointsAsync(page);

        var at = await page.EvaluateAsync<double[]>("""
            (() => {
                const gd = document.getElementById('population-map');
                const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect(), trace = gd.data[0];
                return [box.left + xa._offset + xa.l2p(trace.x[0]), box.top + ya._offset + ya.l2p(trace.y[0])];
            })()
            """);
        await page.Mouse.MoveAsync((float)at[0] - 20, (float)at[1] - 20);
        await page.Mouse.MoveAsync((float)at[0], (float)at[1], new MouseMoveOptions { Steps = 4 });
        // Plotly clicks the point it is hovering: wait until the hover has landed (its label is shown), then click.
        await page.Locator("[data-testid=map-tooltip]").WaitForAsync(Visible);
        await page.Mouse.ClickAsync((float)at[0], (float)at[1]);

        await page.WaitForURLAsync(new Regex($"/runs/{runId}/samples/\\d+$"), new PageWaitForURLOptions { Timeout = 30_000 });
        var index = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        Assert.InRange(index, 0, server.Run.SampleCount - 1);
        await page.CloseAsync();
    }

    /// <summary>The canvas preview answers hover and click while Plotly's script is still held back: the first draw is
    /// already a map one can read and open samples from.</summary>
    [Fact]
    public async Task Before_plotly_runs_the_preview_shows_a_points_label_on_hover_and_opens_its_sample_on_click()
    {
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        var runId = SyntheticRun.Create(database, 1, seed: 9);
        try
        {
            var (page, _) = await server.NewPageAsync();
            var release = new TaskCompletionSource();
            await page.RouteAsync("**/plotly-*.min.js", async route =>
            {
                await release.Task;
                await route.ContinueAsync();
            });
            await page.GotoAsync(MapUrl(runId));
            await page.WaitForFunctionAsync("document.getElementById('population-map')?.dataset.previewDrawnMs !== undefined", null,
                new PageWaitForFunctionOptions { Timeout = 60_000 });
            // The one point's painted pixels: their centre, in page coordinates.
            var at = await page.EvaluateAsync<double[]>("""
                (() => {
                    const canvas = document.querySelector('[data-testid=map-preview]');
                    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    let sx = 0, sy = 0, n = 0;
                    for (let i = 3; i < pixels.length; i += 4) {
                        if (pixels[i] > 0) { const p = (i - 3) / 4; sx += p % canvas.width; sy += Math.floor(p / canvas.width); n++; }
                    }
                    const box = canvas.getBoundingClientRect();
                    return [box.left + sx / n + 0.5, box.top + sy / n + 0.5, n];
                })()
                """);
            Assert.InRange(at[2], 10, 40); // one disk of Plotly's default marker size

            await page.Mouse.MoveAsync((float)at[0] - 30, (float)at[1] - 30);
            var tooltip = page.Locator("[data-testid=map-tooltip]");
            Assert.False(await tooltip.IsVisibleAsync());
            await page.Mouse.MoveAsync((float)at[0], (float)at[1], new MouseMoveOptions { Steps = 5 });
            await tooltip.WaitForAsync(Visible);
            Assert.StartsWith("#0: What does synthetic question 0", await tooltip.InnerTextAsync(), StringComparison.Ordinal);
            Assert.False(await page.EvaluateAsync<bool>("'Plotly' in window"));
            await page.Mouse.MoveAsync((float)at[0] + 40, (float)at[1] + 40, new MouseMoveOptions { Steps = 3 });
            await tooltip.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 30_000 });

            await page.Mouse.ClickAsync((float)at[0], (float)at[1]);
            await page.WaitForURLAsync(new Regex($"/runs/{runId}/samples/0$"), new PageWaitForURLOptions { Timeout = 30_000 });
            release.SetResult();
            await page.CloseAsync();
        }
        finally
        {
            DeleteRun(database, runId);
        }
    }

    /// <summary>The map runs plotly.js's gl2d bundle; a chart page opened after it in the same document loads Plotly.Blazor's
    /// full bundle and draws its bars, and the map drawn again afterwards still works with its own.</summary>
    [Fact]
    public async Task After_the_map_a_bar_chart_page_draws_and_the_map_draws_again()
    {
        var runId = PreparedRunWithMap();
        var (page, external) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId));
        Assert.Equal(server.Run.SampleCount, await DrawnPointsAsync(page));
        Assert.Equal(1, await page.EvaluateAsync<int>("document.querySelectorAll('script[src*=\"plotly-gl2d\"]').length"));

        await page.Locator("[data-testid=nav-datasets]").ClickAsync();
        await page.Locator("#titles-chart .bars path").First.WaitForAsync(Visible);

        await page.GoBackAsync();
        await page.WaitForURLAsync($"**/runs/{runId}/map", new PageWaitForURLOptions { Timeout = 30_000 });
        Assert.Equal(server.Run.SampleCount, await DrawnPointsAsync(page));
        await Assertions.Expect(page.Locator("#population-map .legend .legendtext").First).ToBeVisibleAsync();
        Assert.Empty(external);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Box_selecting_lists_the_selected_samples_with_their_metrics()
    {
        var runId = PreparedRunWithMap();
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId));
        await DrawnPointsAsync(page);

        var count = await BoxSelectWholePlotAsync(page);
        Assert.InRange(count, 1, server.Run.SampleCount);
        Assert.Contains("EM", await page.Locator("[data-testid=selection-summary]").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=selection-table] [data-testid=sample-link]").CountAsync() > 0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_box_selection_leaves_out_legend_entries_switched_off()
    {
        var runId = PreparedRunWithMap();
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, MapUrl(runId, "?colour=question_type"));
        var drawn = await DrawnPointsAsync(page);

        await page.Locator("#population-map .legend .legendtoggle").First.ClickAsync();
        await page.WaitForFunctionAsync("document.getElementById('population-map').data[0].visible === 'legendonly'", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        var hidden = await page.EvaluateAsync<int>("document.getElementById('population-map').data[0].x.length");
        Assert.InRange(hidden, 1, drawn - 1);

        var count = await BoxSelectWholePlotAsync(page);
        Assert.Equal(drawn - hidden, count);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_clusters_page_lists_clusters_and_a_cluster_highlights_its_samples()
    {
        var runId = PreparedRunWithMap();
        var (page, _) = await server.NewPageAsync();
        await OpenAsync(page, new Uri(server.BaseAddress, $"/runs/{runId}/clusters").ToString());

        await page.Locator("[data-testid=clusters-table]").WaitForAsync(Visible);
        var links = page.Locator("[data-testid=cluster-link]");
        Assert.True(await links.CountAsync() > 1);
        if (DashboardServer.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "clusters.png"), FullPage = true });
        }
        var size = int.Parse(await page.Locator("[data-testid=cluster-size]").First.TextContentAsync() ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

        await links.First.ClickAsync();

        await page.WaitForURLAsync(new Regex($"/runs/{runId}/clusters/kmeans/-?\\d+$"), new PageWaitForURLOptions { Timeout = 30_000 });
        Assert.Equal(server.Run.SampleCount, await DrawnPointsAsync(page));
        var highlighted = await page.EvaluateAsync<int>("document.getElementById('population-map').data[0].x.length");
        Assert.Equal(size, highlighted);
        Assert.Equal("other samples", (await page.EvaluateAsync<string>(LegendText)).Split('|')[1].Split(" (")[0]);
        Assert.Equal(size.ToString("N0", CultureInfo.InvariantCulture), await page.Locator("[data-testid=cluster-samples-summary-count]").TextContentAsync());
        if (DashboardServer.ScreenshotFolder is { } shots)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "cluster.png"), FullPage = true });
        }
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_synthetic_run_of_100k_samples_draws_every_point()
    {
        const int Samples = 100_000;
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        var runId = SyntheticRun.Create(database, Samples, seed: 100);
        try
        {
            var (page, _) = await server.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await OpenAsync(page, MapUrl(runId));
            var drawn = await DrawnPointsAsync(page, Samples, timeout: 300_000);
            var load = clock.Elapsed;
            Assert.Equal(Samples, drawn);

            clock.Restart();
            await page.Locator("[data-testid=colour-select]").ClickAsync();
            await page.Locator(".mud-popover .mud-list-item", new PageLocatorOptions { HasText = "Loss (number)" }).ClickAsync();
            await page.WaitForFunctionAsync("document.getElementById('population-map').data.some(t => Array.isArray(t.marker.color) || ArrayBuffer.isView(t.marker.color))", null,
                new PageWaitForFunctionOptions { Timeout = 120_000 });
            var recolour = clock.Elapsed;
            var marks = await page.EvaluateAsync<string[]>(
                "(() => { const d = document.getElementById('population-map').dataset; return [d.traceType, d.pointsReceivedMs, d.styleReceivedMs, d.tracesBuiltMs, d.drawnMs]; })()");
            var figure = $"100k-point map ({marks[0]}): first draw seen {load.TotalSeconds:F1} s after navigation; recolour by loss seen after {recolour.TotalSeconds:F1} s; " +
                $"marks of the last draw (ms since navigation): points arrived {marks[1]}, style arrived {marks[2]}, traces built {marks[3]}, drawn {marks[4]}";
            output.WriteLine(figure);
            Console.WriteLine(figure);
            Assert.Equal(Samples, await page.EvaluateAsync<int>(PointCount));
            await page.CloseAsync();
        }
        finally
        {
            DeleteRun(database, runId);
        }
    }

    /// <summary>
    /// Issue 16, point 6: the first draw of 10k- and 100k-sample maps, three fresh pages each, from the map's own marks
    /// (milliseconds since navigation): points received, points shown (the module's canvas preview, when it has one) and
    /// the interactive Plotly plot drawn. Prints the figures; asserts only that the marks exist and are ordered, and that
    /// the page runs one copy of Plotly (times depend on the machine's load). The first page of each size also pays the
    /// server's read of the run (cold cache).
    /// </summary>
    [Fact]
    public async Task First_draw_times_of_10k_and_100k_sample_maps_are_measured_from_the_maps_marks()
    {
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        var lines = new List<string>();
        foreach (var samples in new[] { 10_000, 100_000 })
        {
            var runId = SyntheticRun.Create(database, samples, seed: samples + 16);
            // As a run analysed earlier is: its rows moved from the write-ahead log into the database file, which a first read
            // straight after writing 100k rows would otherwise have to look up page by page in the log.
            using (var connection = database.Open())
            using (var checkpoint = connection.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }
            try
            {
                var draws = new List<MapDrawMarks>();
                for (var repetition = 0; repetition < 3; repetition++)
                {
                    var (page, _) = await server.NewPageAsync();
                    await page.GotoAsync(MapUrl(runId));
                    Assert.Equal(samples, await DrawnPointsAsync(page, samples, timeout: 300_000));
                    var marks = await MapDrawMarks.ReadAsync(page);
                    Assert.InRange(marks.PointsReceivedMs, 1, marks.DrawnMs);
                    if (marks.PreviewDrawnMs is { } shown)
                    {
                        Assert.InRange(shown, marks.PointsReceivedMs, marks.DrawnMs);
                        Assert.Equal(samples, marks.PreviewPointCount);
                    }
                    // Plotly (the gl2d bundle) is fetched once (the module's preload link, then its script element) and run once.
                    Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('resource').filter(e => /plotly-(gl2d-)?[\\d.]+\\.min\\.js/.test(e.name)).length"));
                    Assert.Equal(1, await page.EvaluateAsync<int>("document.querySelectorAll('script[src*=\"/plotly-\"]').length"));
                    draws.Add(marks);
                    await page.CloseAsync();
                }
                if (DashboardServer.ScreenshotFolder is { } folder)
                {
                    await ScreenshotPreviewAndPlotAsync(MapUrl(runId), folder, $"map-{samples / 1000}k");
                }
                static string Each(IEnumerable<double?> values) => string.Join(" / ", values.Select(v => v is { } ms ? $"{ms:F0}" : "–"));
                lines.Add($"map first draw {samples / 1000}k: points shown {Each(draws.Select(d => (double?)(d.PreviewDrawnMs ?? d.DrawnMs)))} ms, " +
                    $"interactive plot drawn {Each(draws.Select(d => (double?)d.DrawnMs))} ms after navigation " +
                    $"(points received {Each(draws.Select(d => (double?)d.PointsReceivedMs))} ms; " +
                    $"received → drawn {Each(draws.Select(d => (double?)(d.DrawnMs - d.PointsReceivedMs)))} ms; last page: {draws[^1].Detail})");
            }
            finally
            {
                DeleteRun(database, runId);
            }
        }
        foreach (var line in lines.Concat(server.ServerLog.Split('\n').Where(l => l.Contains("Map points of run", StringComparison.Ordinal))))
        {
            output.WriteLine(line);
            Console.WriteLine(line);
        }
    }

    /// <summary>Screenshots of the canvas preview (Plotly's script held back until it is painted) and of the plot that
    /// replaces it, to compare their layouts.</summary>
    private async Task ScreenshotPreviewAndPlotAsync(string url, string folder, string name)
    {
        var (page, _) = await server.NewPageAsync();
        var previewShown = new TaskCompletionSource();
        await page.RouteAsync("**/plotly-*.min.js", async route =>
        {
            await previewShown.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("document.getElementById('population-map')?.dataset.previewDrawnMs !== undefined", null,
            new PageWaitForFunctionOptions { Timeout = 120_000 });
        await page.Locator("#population-map").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{name}-preview.png") });
        previewShown.SetResult();
        await DrawnPointsAsync(page);
        await page.Locator("#population-map").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"{name}-plot.png") });
        await page.CloseAsync();
    }

    /// <summary>The marks population-map.js leaves on the map element, and Plotly's script timing from the browser.</summary>
    private sealed record MapDrawMarks(double PointsReceivedMs, double DrawnMs, double? PreviewDrawnMs, int? PreviewPointCount, string Detail)
    {
        public static async Task<MapDrawMarks> ReadAsync(IPage page)
        {
            var values = await page.EvaluateAsync<string[]>("""
                (() => {
                    const d = document.getElementById('population-map').dataset;
                    const plotly = performance.getEntriesByType('resource').find(e => /plotly-(gl2d-)?[\d.]+\.min\.js/.test(e.name));
                    const detail = Object.keys(d).filter(k => k.endsWith('Ms')).map(k => `${k} ${d[k]}`).join(', ')
                        + (plotly ? `, plotly script fetched ${Math.round(plotly.startTime)}–${Math.round(plotly.responseEnd)}` : '');
                    return [d.pointsReceivedMs ?? '', d.drawnMs ?? '', d.previewDrawnMs ?? '', d.previewPointCount ?? '', detail];
                })()
                """);
            static double? Number(string text) => text.Length == 0 ? null : double.Parse(text, CultureInfo.InvariantCulture);
            return new MapDrawMarks(Number(values[0])!.Value, Number(values[1])!.Value, Number(values[2]), (int?)Number(values[3]), values[4]);
        }
    }

    [Fact]
    public async Task Hovering_a_point_fetches_its_label_and_shows_markup_as_text()
    {
        // One sample: sample 0 carries the synthetic markup, and no neighbour can take the hover.
        var database = AppSchema.Initialize(server.Run.DatabasePath);
        var runId = SyntheticRun.Create(database, 1, seed: 8);
        try
        {
            var (page, _) = await server.NewPageAsync();
            await OpenAsync(page, MapUrl(runId));
            Assert.Equal(1, await DrawnPointsAsync(page, 1));
            var at = await page.EvaluateAsync<double[]>("""
                (() => {
                    const gd = document.getElementById('population-map');
                    const t = gd._fullData[0], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
                    return [r.left + xa._offset + xa.l2p(t.x[0]), r.top + ya._offset + ya.l2p(t.y[0])];
                })()
                """);
            await page.Mouse.MoveAsync((float)at[0] - 30, (float)at[1] - 30);
            await page.Mouse.MoveAsync((float)at[0], (float)at[1], new MouseMoveOptions { Steps = 5 });

            var tooltip = page.Locator("[data-testid=map-tooltip]");
            await tooltip.WaitForAsync(Visible);
            var text = await tooltip.InnerTextAsync();
            Assert.StartsWith("#0: What does synthetic question 0", text, StringComparison.Ordinal);
            Assert.Contains(SyntheticRun.Markup, text, StringComparison.Ordinal);
            Assert.Contains("gold: answer 0", text, StringComparison.Ordinal);
            Assert.Equal(3, await tooltip.Locator("div").CountAsync());
            Assert.Equal(0, await tooltip.Locator("b, img").CountAsync());

            await page.Mouse.MoveAsync(1, 1);
            await tooltip.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 30_000 });
            await page.CloseAsync();
        }
        finally
        {
            DeleteRun(database, runId);
        }
    }

    private static void DeleteRun(SqliteConnectionFactory database, long runId)
    {
        using var connection = database.Open();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM runs WHERE id = $run";
        delete.Parameters.AddWithValue("$run", runId);
        delete.ExecuteNonQuery();
    }
}
