using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Analysis.WhatIf.Probes;
using SquadAlbert.Dashboard.Features.Probes;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Dashboard.Tests.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Probes;

/// <summary>The probes page on a run of the tiny test model: a probe job started from the form, the flip table and the flipped samples.</summary>
public sealed class ProbesPageTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task A_probe_job_started_on_the_page_fills_the_flip_table_with_map_and_flip_links()
    {
        var runId = Analyse();
        await using var ctx = NewContext();
        var page = ctx.Render<ProbesPage>(p => p.Add(x => x.RunId, runId));
        Assert.NotEmpty(page.FindAll("[data-testid=probes-none]"));
        Assert.Equal("Probes", page.Find("[data-testid=run-tab-probes]").TextContent);

        page.Find("input[data-testid=probe-kind-answer-removal], [data-testid=probe-kind-answer-removal] input").Change(false);
        page.Find("input[data-testid=probe-kind-entity-swap], [data-testid=probe-kind-entity-swap] input").Change(false);
        page.Find("button[data-testid=probe-start]").Click();

        page.WaitForAssertion(() => Assert.Equal("finished", page.Find("[data-testid=probe-progress]").GetAttribute("data-status")), Wait);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=probe-run-row]").Count), Wait);
        var stored = new ProbeStore(_workspace.Database.Connections).List(runId);
        Assert.Equal([ProbeKind.WhSwap, ProbeKind.Distractor], stored.Select(r => r.Probe));
        Assert.All(stored, r => Assert.Equal(("whole run (first 200)", 12), (r.Slice, r.SampleCount)));
        Assert.Contains("Finished: distractor", page.Find("[data-testid=probe-progress-message]").TextContent, StringComparison.Ordinal);

        var rows = page.FindAll("[data-testid=probe-run-row]");
        Assert.Equal(["wh-swap", "distractor"], rows.Select(r => r.GetAttribute("data-probe")));
        Assert.Equal("2 of 12", rows[0].QuerySelector("[data-testid=probe-run-applicable]")!.TextContent);
        Assert.Equal(stored[0].FlipCount!.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), rows[0].QuerySelector("[data-testid=probe-run-flips]")!.TextContent);
        Assert.Equal($"/runs/{runId}/map?colour=probe_wh_swap", rows[0].QuerySelector("[data-testid=probe-run-map-link]")!.GetAttribute("href"));
        Assert.Equal(RunRoutes.Probes(runId, stored[1].Id), rows[1].QuerySelector("[data-testid=probe-run-flips-link]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_flipped_samples_of_a_chosen_probe_run_link_to_their_sample_pages()
    {
        var runId = Analyse();
        using var reader = new WhatIfReader(threads: 1);
        var finished = ProbeRunner.Run(_workspace.Database.Connections, reader, new ProbeRequest(runId, [ProbeKind.EntitySwap], 2, ProbeSlice.WholeRun()));
        var flips = new ProbeStore(_workspace.Database.Connections).Flips(finished[0].Id);
        await using var ctx = NewContext();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(RunRoutes.Probes(runId, finished[0].Id));

        var page = ctx.Render<ProbesPage>(p => p.Add(x => x.RunId, runId));

        page.WaitForElement("[data-testid=probe-flips-title]", Wait);
        Assert.Contains($"Flipped under entity swap (whole run, seed 2): {flips.Count}", page.Find("[data-testid=probe-flips-title]").TextContent, StringComparison.Ordinal);
        Assert.Equal(flips.Select(f => RunRoutes.Sample(runId, f.SampleIndex)), page.FindAll("[data-testid=probe-flip-sample]").Select(a => a.GetAttribute("href")));
        Assert.Equal(flips.Count, page.FindAll("[data-testid=probe-flip-row]").Count);
    }

    private long Analyse()
    {
        var request = new AnalysisRequest(_workspace.ModelFolder, PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile)), [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings, Threads: 1);
        return AnalysisRunner.Run(_workspace.Database.Connections, request).RunId;
    }

    private BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(_workspace.Database);
        ctx.Services.AddSingleton(new WhatIfReader(threads: 1));
        ctx.Services.AddSingleton(s => new ProbeJobs(_workspace.Database, s.GetRequiredService<WhatIfReader>(), NullLogger<ProbeJobs>.Instance));
        ctx.Render<MudPopoverProvider>();
        return ctx;
    }
}
