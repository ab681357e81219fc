using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;
using SquadAlbert.Dashboard.Tests.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Samples;

/// <summary>The sample page's "Edit and re-run" panel and its list of saved variants, on a run of the tiny test model.</summary>
public sealed class WhatIfPanelTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task An_unedited_run_gives_the_stored_prediction_and_no_marked_change()
    {
        var (runId, sample) = Analyse(0);
        await using var ctx = NewContext();
        var panel = ctx.Render<WhatIfPanel>(p => p.Add(x => x.RunId, runId).Add(x => x.Sample, sample));
        Assert.NotEmpty(panel.FindAll("[data-testid=whatif-no-variants]"));

        panel.Find("button[data-testid=whatif-run]").Click();

        panel.WaitForElement("[data-testid=whatif-prediction]", Wait);
        Assert.Equal(sample.Prediction.Length == 0 ? "(no answer)" : sample.Prediction, panel.Find("[data-testid=whatif-prediction]").TextContent);
        Assert.Contains("Same prediction", panel.Find("[data-testid=whatif-changed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll(".diff-added, .diff-removed"));
        Assert.NotEmpty(panel.FindAll("[data-testid=whatif-nbest-row]"));
        Assert.NotEmpty(panel.FindAll("#whatif-probabilities"));
    }

    [Fact]
    public async Task An_edited_question_is_marked_run_saved_as_a_variant_and_listed()
    {
        var (runId, sample) = Analyse(1);
        await using var ctx = NewContext();
        var panel = ctx.Render<WhatIfPanel>(p => p.Add(x => x.RunId, runId).Add(x => x.Sample, sample));

        panel.Find("input[data-testid=whatif-question], [data-testid=whatif-question] input").Change("Tell me " + sample.Question);
        panel.Find("button[data-testid=whatif-run]").Click();

        panel.WaitForElement("[data-testid=whatif-prediction]", Wait);
        Assert.Equal("Tell me ", panel.Find("[data-testid=whatif-question-diff] .diff-added").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=whatif-context-diff] .diff-added"));
        Assert.Contains("probability", panel.Find("[data-testid=whatif-probability]").TextContent, StringComparison.Ordinal);

        // The button is enabled once the run has finished rendering; each save re-lists the variants before the next click.
        panel.WaitForAssertion(() => Assert.False(panel.Find("button[data-testid=whatif-save]").HasAttribute("disabled")), Wait);
        panel.Find("button[data-testid=whatif-save]").Click();
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=whatif-variant]")), Wait);
        panel.Find("button[data-testid=whatif-save]").Click();
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("[data-testid=whatif-variant]").Count), Wait);

        var rows = panel.FindAll("[data-testid=whatif-variant]");
        Assert.StartsWith(sample.ExampleId + "-v1", rows[0].TextContent, StringComparison.Ordinal);
        Assert.StartsWith(sample.ExampleId + "-v2", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Tell me " + sample.Question, rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(WhatIfExportEndpoints.Squad(runId), panel.Find("[data-testid=whatif-export]").GetAttribute("href"));
        var stored = ctx.Services.GetRequiredService<WhatIfVariantStore>().List(runId, sample.SampleIndex);
        Assert.Equal(["Tell me " + sample.Question, "Tell me " + sample.Question], stored.Select(v => v.Question));

        // A fresh render of the sample lists what was saved.
        var again = ctx.Render<WhatIfPanel>(p => p.Add(x => x.RunId, runId).Add(x => x.Sample, sample));
        again.WaitForAssertion(() => Assert.Equal(2, again.FindAll("[data-testid=whatif-variant]").Count), Wait);
    }

    [Fact]
    public async Task A_gold_missing_from_the_edited_context_is_said_and_empty_text_is_refused()
    {
        var (runId, sample) = Analyse(2);
        await using var ctx = NewContext();
        var panel = ctx.Render<WhatIfPanel>(p => p.Add(x => x.RunId, runId).Add(x => x.Sample, sample));

        panel.Find("input[data-testid=whatif-gold-text], [data-testid=whatif-gold-text] input").Change("zzz not in the context zzz");
        panel.Find("button[data-testid=whatif-run]").Click();
        panel.WaitForElement("[data-testid=whatif-prediction]", Wait);
        Assert.Contains("is not in the edited context", panel.Find("[data-testid=whatif-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("no gold", panel.Find("[data-testid=whatif-probability]").TextContent, StringComparison.Ordinal);

        panel.Find("input[data-testid=whatif-question], [data-testid=whatif-question] input").Change(" ");
        panel.Find("button[data-testid=whatif-run]").Click();
        panel.WaitForAssertion(() => Assert.Contains("need some text", panel.Find("[data-testid=whatif-error]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task The_heatmap_of_an_edit_shows_on_demand_with_its_completeness_and_is_not_cached()
    {
        var (runId, sample) = Analyse(3);
        await using var ctx = NewContext();
        var panel = ctx.Render<WhatIfPanel>(p => p.Add(x => x.RunId, runId).Add(x => x.Sample, sample));
        Assert.Empty(panel.FindAll("[data-testid=whatif-attribution-compute]"));

        panel.Find("input[data-testid=whatif-question], [data-testid=whatif-question] input").Change("Tell me " + sample.Question);
        panel.Find("button[data-testid=whatif-run]").Click();
        panel.WaitForAssertion(() => Assert.False(panel.Find("button[data-testid=whatif-attribution-compute]").HasAttribute("disabled")), Wait);
        Assert.Empty(panel.FindAll("[data-testid=whatif-attribution]"));

        panel.Find("button[data-testid=whatif-attribution-compute]").Click();

        panel.WaitForAssertion(() => Assert.Contains("relative error", panel.Find("[data-testid=whatif-completeness]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Completeness: Σ attributions", panel.Find("[data-testid=whatif-completeness]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Tell me " + sample.Question, panel.Find("[data-testid=whatif-attribution-question]").TextContent);
        Assert.Equal(sample.Context, panel.Find("[data-testid=whatif-attribution-context]").TextContent);
        Assert.Contains(panel.FindAll("[data-testid=whatif-attribution-question] span"), s => (s.GetAttribute("style") ?? "").Contains("background", StringComparison.Ordinal));
        Assert.Empty(panel.FindAll("[data-testid=whatif-attribution-error]"));
        // An edit is not a stored sample: the sample's attribution cache holds nothing new.
        Assert.Equal(0, ctx.Services.GetRequiredService<AttributionCache>().Computations);
        Assert.Null(ctx.Services.GetRequiredService<AttributionCache>().Find(runId, sample.SampleIndex, new SampleAttributionRequest(
            AttributionMethod.IntegratedGradients, AttributionTarget.Loss, AdaptivePathQuadrature.DefaultMaxIntervals, IntegrationRule.Adaptive)));

        // A new run of the edit clears the heatmap until asked again.
        panel.Find("button[data-testid=whatif-run]").Click();
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[data-testid=whatif-attribution]")), Wait);
    }

    private (long RunId, RunSample Sample) Analyse(int sampleIndex)
    {
        var request = new AnalysisRequest(_workspace.ModelFolder, PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile)), [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings, Threads: 1);
        var runId = AnalysisRunner.Run(_workspace.Database.Connections, request).RunId;
        return (runId, new RunSampleReader(_workspace.Database.Connections).Find(runId, sampleIndex)!);
    }

    private BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(_workspace.Database);
        ctx.Services.AddSampleReview();
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }
}
