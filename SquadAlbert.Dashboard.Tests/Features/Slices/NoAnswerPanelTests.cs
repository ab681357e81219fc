using System.Globalization;
using MudBlazor;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Slices;

namespace SquadAlbert.Dashboard.Tests.Features.Slices;

public sealed class NoAnswerPanelTests(Squad2DatabaseFixture fixture) : IClassFixture<Squad2DatabaseFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_squad2_run_gets_a_threshold_slider_whose_moves_rescore_the_run_and_move_the_curve_marker()
    {
        var run = new RunStore(fixture.Database).Find(fixture.RunId)!;
        var report = RunNoAnswerReport.Load(fixture.Database, run)!;
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<SlicesPage>(p => p.Add(x => x.RunId, fixture.RunId));
        page.WaitForElement("[data-testid=no-answer-panel]", Wait);

        var atRun = report.At(0);
        Assert.Equal("0.000", page.Find("[data-testid=threshold-value]").TextContent);
        Assert.Contains("0.000", page.Find("[data-testid=run-threshold]").TextContent, StringComparison.Ordinal);
        Assert.Contains(report.BestThreshold.ToString("F3", CultureInfo.InvariantCulture), page.Find("[data-testid=best-threshold]").TextContent, StringComparison.Ordinal);
        Assert.Equal(Text(atRun.Exact), page.Find("[data-testid=em-all]").TextContent);
        Assert.Equal(Text(atRun.NoAnsExact), page.Find("[data-testid=em-no-ans]").TextContent);
        Assert.Equal(Text(atRun.HasAnsF1), page.Find("[data-testid=f1-has-ans]").TextContent);
        Assert.Equal((Squad2DatabaseFixture.Samples / Squad2DatabaseFixture.UnanswerableEvery).ToString(CultureInfo.InvariantCulture),
            page.Find("[data-testid=scores-no-ans] td:nth-child(2)").TextContent);
        var chart = page.FindComponent<PlotlyChart>().Instance;
        Assert.Equal(2, chart.Data.Count);
        var curve = Assert.IsType<Scatter>(chart.Data[0]);
        Assert.Equal(report.PrecisionRecall.Count, curve.X.Count);
        var marker = Assert.IsType<Scatter>(chart.Data[1]);
        Assert.Equal(atRun.AbstentionRecall, Assert.Single(marker.X));

        // Far above every difference the reader answers wherever it has a span: NoAns scores 0.
        var slider = page.FindComponent<MudSlider<double>>();
        await page.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(10.0));

        var high = report.At(10);
        page.WaitForAssertion(() => Assert.Equal("10.000", page.Find("[data-testid=threshold-value]").TextContent), Wait);
        Assert.Equal("0.00", page.Find("[data-testid=em-no-ans]").TextContent);
        Assert.Equal(Text(high.Exact), page.Find("[data-testid=em-all]").TextContent);
        Assert.NotEqual(Text(atRun.Exact), Text(high.Exact));
        Assert.StartsWith("0 abstentions", page.Find("[data-testid=abstentions]").TextContent, StringComparison.Ordinal);
        Assert.Empty(Assert.IsType<Scatter>(page.FindComponent<PlotlyChart>().Instance.Data[1]).X);

        page.Find("[data-testid=use-best-threshold]").Click();
        page.WaitForAssertion(() => Assert.Equal(Text(report.Best.F1), page.Find("[data-testid=f1-all]").TextContent), Wait);
    }

    [Fact]
    public async Task A_v11_run_has_no_threshold_panel()
    {
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<SlicesPage>(p => p.Add(x => x.RunId, fixture.V11RunId));

        page.WaitForElement("[data-testid=slices-samples]", Wait);
        Assert.Empty(page.FindAll("[data-testid=no-answer-panel]"));
        Assert.Null(RunNoAnswerReport.Load(fixture.Database, new RunStore(fixture.Database).Find(fixture.V11RunId)!));
    }

    private static string Text(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
