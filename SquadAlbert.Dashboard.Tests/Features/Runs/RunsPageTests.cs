using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

public sealed class RunsPageTests : IDisposable
{
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(_workspace.Catalog);
        ctx.Services.AddSingleton(_workspace.Database);
        ctx.Services.AddSingleton(_workspace.Model);
        ctx.Services.AddSingleton(_workspace.Jobs);
        ctx.Services.AddSingleton(new DataDownloads(new NoNetwork(), Microsoft.Extensions.Logging.Abstractions.NullLogger<DataDownloads>.Instance));
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudSnackbarProvider>();
        return ctx;
    }

    [Fact]
    public async Task An_empty_database_offers_the_first_run_which_then_fills_the_list()
    {
        await using var ctx = NewContext();
        var page = ctx.Render<RunsPage>();

        Assert.Equal("ready", page.Find("[data-testid=first-start]").GetAttribute("data-kind"));
        Assert.Empty(page.FindAll("[data-testid=runs-table]"));

        page.Find("[data-testid=first-start-button]").Click();

        await page.WaitForAssertionAsync(() => Assert.NotEqual("running", page.Find("[data-testid=run-progress]").GetAttribute("data-status")), TimeSpan.FromMinutes(3));
        Assert.True(_workspace.Jobs.Current!.Status == RunJobStatus.Finished, _workspace.Jobs.Current.Message);
        var runId = _workspace.Jobs.Current!.RunId!.Value;
        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=first-start]")), TimeSpan.FromMinutes(1));
        var run = _workspace.Database.Runs.Find(runId)!;
        Assert.Equal(run.ExactMatch!.Value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), page.Find($"[data-testid=run-em-{runId}]").TextContent);
        Assert.Contains("validation (", page.Find($"[data-testid=run-splits-{runId}]").TextContent, StringComparison.Ordinal);
        Assert.Equal(RunRoutes.Slices(runId), page.Find($"[data-testid=run-slices-{runId}]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_start_form_runs_the_chosen_precision_and_the_list_shows_it()
    {
        await using var ctx = NewContext();
        var page = ctx.Render<RunsPage>();
        page.Find("[data-testid=start-panel] .mud-expand-panel-header").Click();

        var precision = page.FindComponent<MudSelect<InferencePrecision>>();
        await page.InvokeAsync(() => precision.Instance.SelectOption(InferencePrecision.Int8));
        page.Find("[data-testid=start-button]").Click();

        await page.WaitForAssertionAsync(() => Assert.NotEqual("running", page.Find("[data-testid=run-progress]").GetAttribute("data-status")), TimeSpan.FromMinutes(3));
        var job = _workspace.Jobs.Current!;
        Assert.True(job.Status == RunJobStatus.Finished, job.Message);
        Assert.Equal(InferencePrecision.Int8, _workspace.Jobs.LastLaunch!.Precision);
        var run = _workspace.Database.Runs.Find(job.RunId!.Value)!;
        Assert.Equal(InferencePrecision.Int8, JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)!.Precision);
        await page.WaitForAssertionAsync(() => Assert.Equal("int8", page.Find($"[data-testid=run-precision-{run.Id}]").TextContent), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task The_start_form_runs_squad_2_0_with_the_typed_null_threshold()
    {
        // The first Normans paragraph of the shared dev-v2.0.json: 9 questions, 4 unanswerable (the latent stages need a few samples).
        var dev = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Analysis.Tests.TestPaths.SquadDir, "dev-v2.0.json")))!;
        var article = dev["data"]![0]!.DeepClone().AsObject();
        article["paragraphs"] = new System.Text.Json.Nodes.JsonArray(article["paragraphs"]![0]!.DeepClone());
        File.WriteAllText(Path.Combine(_workspace.DataFolder, "dev-v2.0.json"),
            new System.Text.Json.Nodes.JsonObject { ["version"] = "v2.0", ["data"] = new System.Text.Json.Nodes.JsonArray(article) }.ToJsonString());
        await using var ctx = NewContext();
        var page = ctx.Render<RunsPage>();
        page.Find("[data-testid=start-panel] .mud-expand-panel-header").Click();

        var version = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "SQuAD version");
        await page.InvokeAsync(() => version.Instance.SelectOption(Analysis.Data.PopulationRequest.Version20));
        page.Find("input[data-testid=start-null-threshold], [data-testid=start-null-threshold] input").Change("-2.5");
        page.Find("[data-testid=start-button]").Click();

        await page.WaitForAssertionAsync(() => Assert.NotEqual("running", page.Find("[data-testid=run-progress]").GetAttribute("data-status")), TimeSpan.FromMinutes(3));
        var job = _workspace.Jobs.Current!;
        Assert.True(job.Status == RunJobStatus.Finished, job.Message);
        Assert.Equal(Analysis.Data.PopulationRequest.Version20, _workspace.Jobs.LastLaunch!.Population.SquadVersion);
        var run = _workspace.Database.Runs.Find(job.RunId!.Value)!;
        Assert.Contains("dev-v2.0.json", run.DataFiles, StringComparison.Ordinal);
        Assert.Equal(-2.5, JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)!.NullThreshold);
    }

    [Fact]
    public async Task A_missing_model_names_the_setting_to_set()
    {
        Directory.Delete(_workspace.ModelFolder, recursive: true);
        await using var ctx = NewContext();

        var page = ctx.Render<RunsPage>();

        Assert.Equal("missingmodel", page.Find("[data-testid=first-start]").GetAttribute("data-kind"));
        var problem = page.Find("[data-testid=first-start-problem]").TextContent;
        Assert.Contains(_workspace.ModelFolder, problem, StringComparison.Ordinal);
        Assert.Contains("SquadAlbert:ModelDirectory", problem, StringComparison.Ordinal);
    }

    private sealed class NoNetwork : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("these tests never download");
    }
}
