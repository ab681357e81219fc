using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

public sealed class RunComponentsTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }

    private static RunJobSnapshot Running(StageProgress? progress) =>
        new("dev of dev-v1.1.json with model", RunJobStatus.Running, "Inference", 2, 2, progress, 4, null);

    [Fact]
    public async Task A_running_job_shows_its_stage_fraction_rate_and_eta_and_cancels()
    {
        await using var ctx = NewContext();
        var cancelled = 0;
        var progress = StageProgress.Of(new AnalysisProgress(2_500, 10_000, 10, 40, 41.66, TimeSpan.FromSeconds(180)));

        var panel = ctx.Render<RunProgressPanel>(p => p.Add(c => c.Job, Running(progress)).Add(c => c.OnCancel, () => cancelled++));

        Assert.Equal("running", panel.Find("[data-testid=run-progress]").GetAttribute("data-status"));
        Assert.Contains("Stage 2 of 2: Inference", panel.Find("[data-testid=run-progress-stage]").TextContent, StringComparison.Ordinal);
        var detail = panel.Find("[data-testid=run-progress-detail]").TextContent;
        Assert.Contains("25.0 %", detail, StringComparison.Ordinal);
        Assert.Contains("2,500 of 10,000 questions", detail, StringComparison.Ordinal);
        Assert.Contains("41.7 questions/s", detail, StringComparison.Ordinal);
        Assert.Contains("ETA 3 min 00 s", detail, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=run-resume]"));

        panel.Find("[data-testid=run-cancel] ").Click();
        Assert.Equal(1, cancelled);
    }

    [Fact]
    public async Task Before_the_first_batch_the_bar_is_indeterminate_without_rate()
    {
        await using var ctx = NewContext();

        var panel = ctx.Render<RunProgressPanel>(p => p.Add(c => c.Job, Running(null)));

        Assert.Empty(panel.FindAll("[data-testid=run-progress-detail]"));
        Assert.Contains("mud-progress-indeterminate", panel.Find("[data-testid=run-progress-bar]").OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_job_offers_resume_and_a_failed_one_shows_its_error()
    {
        await using var ctx = NewContext();
        var resumed = 0;
        var cancelled = Running(null) with { Status = RunJobStatus.Cancelled, Message = "Cancelled. Finished batches are saved." };

        var panel = ctx.Render<RunProgressPanel>(p => p.Add(c => c.Job, cancelled).Add(c => c.CanResume, true).Add(c => c.OnResume, () => resumed++));
        panel.Find("[data-testid=run-resume]").Click();
        Assert.Equal(1, resumed);
        Assert.Empty(panel.FindAll("[data-testid=run-cancel]"));

        panel.Render(p => p.Add(c => c.Job, cancelled with { Status = RunJobStatus.Failed, Message = "SQuAD file 'x.json' not found." }));
        Assert.Empty(panel.FindAll("[data-testid=run-resume]"));
        Assert.Contains("x.json", panel.Find("[data-testid=run-progress-message]").TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-error", panel.Find("[data-testid=run-progress-message]").OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_job_links_to_its_run()
    {
        await using var ctx = NewContext();

        var panel = ctx.Render<RunProgressPanel>(p => p.Add(c => c.Job, Running(null) with { Status = RunJobStatus.Finished, Message = "4 batches computed" }));

        Assert.Equal(RunRoutes.Map(4), panel.Find("[data-testid=run-progress-map]").GetAttribute("href"));
        Assert.Equal(RunRoutes.Slices(4), panel.Find("[data-testid=run-progress-slices]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_first_start_card_offers_one_click_or_names_the_missing_setting()
    {
        await using var ctx = NewContext();
        var started = 0;
        var ready = new FirstStartOffer(FirstStartKind.Ready, "/models/m", "/data/dev-v1.1.json", null);

        var card = ctx.Render<FirstStartCard>(p => p.Add(c => c.Offer, ready).Add(c => c.OnStart, () => started++));
        Assert.Contains("Analyse dev-v1.1 with the default model", card.Find("[data-testid=first-start-button]").TextContent, StringComparison.Ordinal);
        card.Find("[data-testid=first-start-button]").Click();
        Assert.Equal(1, started);

        card.Render(p => p.Add(c => c.Offer, new FirstStartOffer(FirstStartKind.MissingModel, null, null, "Set the SQUADALBERT_MODEL environment variable.")));
        Assert.Empty(card.FindAll("[data-testid=first-start-button]"));
        Assert.Contains("SQUADALBERT_MODEL", card.Find("[data-testid=first-start-problem]").TextContent, StringComparison.Ordinal);

        card.Render(p => p.Add(c => c.Offer, FirstStartOffer.None));
        Assert.Empty(card.FindAll("[data-testid=first-start]"));
    }
}
