using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;
using SquadAlbert.Dashboard.Tests.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Samples;

public sealed class SamplePageTests : IDisposable
{
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_model_folder_rewritten_since_the_run_is_named_in_a_warning_and_an_unchanged_one_is_not()
    {
        var request = new AnalysisRequest(_workspace.ModelFolder, PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile)), [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings, Threads: 1);
        var runId = AnalysisRunner.Run(_workspace.Database.Connections, request).RunId;
        await using var ctx = NewContext();

        var unchanged = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, runId).Add(x => x.SampleIndex, 0));
        unchanged.WaitForAssertion(() => Assert.NotEmpty(unchanged.FindAll("#context-text")), TimeSpan.FromMinutes(1));
        Assert.Empty(unchanged.FindAll("[data-testid=model-changed]"));

        var weights = Path.Combine(_workspace.ModelFolder, QaCheckpoint.WeightsFileName);
        var modified = File.GetLastWriteTimeUtc(weights);
        QaCheckpoint.Random(EncoderConfig.Load(Path.Combine(_workspace.ModelFolder, EncoderConfig.FileName)), seed: 4).Save(_workspace.ModelFolder);
        File.SetLastWriteTimeUtc(weights, modified.AddSeconds(5));
        var changed = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, runId).Add(x => x.SampleIndex, 0));

        changed.WaitForAssertion(() => Assert.NotEmpty(changed.FindAll("[data-testid=model-changed]")), TimeSpan.FromMinutes(1));
        var warning = changed.Find("[data-testid=model-changed]").TextContent;
        Assert.Contains($"has changed since run {runId} was analysed", warning, StringComparison.Ordinal);
        Assert.Contains("Tokens shown here come from the folder's current files", warning, StringComparison.Ordinal);
    }

    /// <summary>The heatmap's default is the adaptive rule: the steps field is its maximum, and the result shows the steps
    /// the rule used beside the completeness error.</summary>
    [Fact]
    public async Task The_heatmap_defaults_to_the_adaptive_rule_and_shows_the_steps_used_and_the_completeness_error()
    {
        var request = new AnalysisRequest(_workspace.ModelFolder, PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile)), [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings, Threads: 1);
        var runId = AnalysisRunner.Run(_workspace.Database.Connections, request).RunId;
        await using var ctx = NewContext();

        var page = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, runId).Add(x => x.SampleIndex, 0));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("button[data-testid=attribution-compute]")), TimeSpan.FromMinutes(1));
        Assert.Contains("Max steps", page.Find("[data-testid=attribution-panel]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Adaptive", page.Find("[data-testid=attribution-panel]").TextContent, StringComparison.Ordinal);
        page.Find("button[data-testid=attribution-compute]").Click();

        page.WaitForAssertion(() => Assert.Contains("relative error", page.Find("[data-testid=completeness]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromMinutes(2));
        Assert.Matches(@"\d+ steps \(adaptive\)", page.Find("[data-testid=attribution-legend]").TextContent);
    }

    /// <summary>Opening a sample loads the run's model and its gradient graph in the background, so the first heatmap costs
    /// only its own computation; a sample whose heatmap is cached, or a changed model folder, prepares nothing.</summary>
    [Fact]
    public async Task Opening_a_sample_prepares_the_model_for_its_heatmap_before_any_click()
    {
        var request = new AnalysisRequest(_workspace.ModelFolder, PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile)), [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings, Threads: 1);
        var runId = AnalysisRunner.Run(_workspace.Database.Connections, request).RunId;
        await using var ctx = NewContext();
        var cache = ctx.Services.GetRequiredService<AttributionCache>();

        var page = ctx.Render<SamplePage>(p => p.Add(x => x.RunId, runId).Add(x => x.SampleIndex, 0));

        // The preparation renders nothing, so poll the cache rather than wait for a render.
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (cache.ModelLoads == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(1, cache.ModelLoads);
        Assert.Equal(0, cache.Computations);
        Assert.NotEmpty(page.FindAll("button[data-testid=attribution-compute]"));
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
