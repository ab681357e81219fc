using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Testing;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

/// <summary>The side-by-side view of one question in two runs: its view-model on synthetic runs with hand-set answers, the
/// page on those and on two real tiny runs (neighbours, heatmap), and the Compare page's links to it.</summary>
public sealed class SideBySideTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);
    private readonly RunsWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private SqliteConnectionFactory Connections => _workspace.Database.Connections;

    /// <summary>Two synthetic runs (no model folder, no embeddings) of the same questions, B shorter; synthetic-3 is right in A
    /// and wrong in B with another span.</summary>
    private (long A, long B) SyntheticPair(int samplesB = 20)
    {
        var a = SyntheticRun.Create(Connections, 20, seed: 1, projected: false);
        var b = SyntheticRun.Create(Connections, samplesB, seed: 1, projected: false);
        Execute($"UPDATE samples SET exact_match = 1, f1 = 1, loss = 0.5, prediction_probability = 0.75, prediction = 'answer 3' WHERE run_id = {a} AND example_id = 'synthetic-3'");
        Execute($"UPDATE samples SET exact_match = 0, f1 = 0.25, loss = 3.5, prediction_probability = 0.125, prediction = 'answer 10' WHERE run_id = {b} AND example_id = 'synthetic-3'");
        return (a, b);
    }

    private void Execute(string sql)
    {
        using var connection = Connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    /// <summary>Two real runs of the tiny model over the 12-question fixture: the workspace settings and longer windows.</summary>
    private (long A, long B) RealPair()
    {
        var data = PopulationPresets.Dev(SquadLoader.Load(RunsWorkspace.FixtureFile));
        var a = AnalysisRunner.Run(Connections, new AnalysisRequest(_workspace.ModelFolder, data, [RunsWorkspace.FixtureFile], RunsWorkspace.Settings, Threads: 1)).RunId;
        var b = AnalysisRunner.Run(Connections, new AnalysisRequest(_workspace.ModelFolder, data, [RunsWorkspace.FixtureFile],
            RunsWorkspace.Settings with { MaxSeqLength = 96, DocStride = 32 }, Threads: 1)).RunId;
        return (a, b);
    }

    [Fact]
    public void The_view_model_shows_each_runs_figures_and_which_side_is_right()
    {
        var (a, b) = SyntheticPair();

        var view = SideBySideView.Build(SamplePair.Load(Connections, a, b, "synthetic-3"), new RunTokenizers());

        Assert.Equal(("A", "B"), (view.A.Label, view.B.Label));
        Assert.Equal([("Answer probability", "0.750"), ("Exact match", "yes"), ("F1", "1.000"), ("Loss", "0.500")], view.A.Figures);
        Assert.Equal([("Answer probability", "0.125"), ("Exact match", "no"), ("F1", "0.250"), ("Loss", "3.500")], view.B.Figures);
        Assert.Equal("A", view.RightSide);
        Assert.True(view.SameModel);
        Assert.Equal("(synthetic)", view.A.ModelName);
        // No model folder: the text is cut at whitespace and the column says why.
        Assert.Contains("Tokens are words", view.A.Details!.TokenProblem, StringComparison.Ordinal);
        Assert.Equal("answer 10", view.B.Details!.PredictionText);
        Assert.Equal(("a-", "b-"), (view.A.TestIdPrefix, view.B.TestIdPrefix));
    }

    [Fact]
    public void A_run_without_latent_vectors_says_so_instead_of_neighbours()
    {
        var (a, _) = SyntheticPair();

        var list = NeighbourList.Of(RunNeighbours.Load(Connections, a), 3, SideBySideView.NeighbourCount);

        Assert.Empty(list.Items);
        Assert.Equal($"Run {a} stored no latent vectors (context embeddings), so it has no neighbours to show.", list.Note);
    }

    [Fact]
    public void The_model_name_is_the_folder_name()
    {
        Assert.Equal("minilm-squad", SampleSide.ModelNameOf("/work/main/models/minilm-squad/"));
        Assert.Equal("albert-squad-small", SampleSide.ModelNameOf("models/albert-squad-small"));
    }

    [Fact]
    public async Task The_page_names_a_question_missing_from_one_run_and_shows_the_other()
    {
        var (a, b) = SyntheticPair(samplesB: 10);
        await using var ctx = NewContext();

        var page = Render(ctx, a, b, "synthetic-15");

        page.WaitForElement("[data-testid=side-missing]", Wait);
        Assert.Contains($"Run {b} (B) has no question \"synthetic-15\"", page.Find("[data-testid=side-missing]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=b-missing]"));
        Assert.Equal(new RunSampleReader(Connections).FindQuestion(a, "synthetic-15")!.Prediction, page.Find("[data-testid=a-prediction]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Contains("stored no latent vectors", page.Find("[data-testid=a-neighbours-note]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(RunRoutes.Compare(a, b), page.Find("[data-testid=side-back]").GetAttribute("href"));

        var neither = Render(ctx, a, b, "synthetic-99");
        neither.WaitForElement("[data-testid=side-error]", Wait);
        Assert.Contains("neither run", neither.Find("[data-testid=side-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_marks_the_right_side_and_the_differing_predictions()
    {
        var (a, b) = SyntheticPair();
        await using var ctx = NewContext();

        var page = Render(ctx, a, b, "synthetic-3");

        page.WaitForElement("[data-testid=side-verdict]", Wait);
        var verdict = page.Find("[data-testid=side-verdict]").TextContent;
        Assert.Contains($"Only run {a} (A) is right.", verdict, StringComparison.Ordinal);
        Assert.Contains("The predictions differ.", verdict, StringComparison.Ordinal);
        Assert.Equal(("right", "wrong"), (page.Find("[data-testid=a-right]").TextContent.Trim(), page.Find("[data-testid=b-right]").TextContent.Trim()));
        Assert.Equal(("answer 3", "answer 10"), (page.Find("[data-testid=a-prediction]").TextContent.Trim(), page.Find("[data-testid=b-prediction]").TextContent.Trim()));
        Assert.Equal(RunRoutes.Sample(a, 3), page.Find("[data-testid=a-sample-link]").GetAttribute("href"));
        Assert.Equal(RunRoutes.Sample(b, 3), page.Find("[data-testid=b-sample-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Two_real_runs_show_both_predictions_n_best_and_neighbours_and_one_heatmap_on_demand()
    {
        var (a, b) = RealPair();
        var reader = new RunSampleReader(Connections);
        var question = reader.Find(a, 0)!.ExampleId;
        var (sampleA, sampleB) = (reader.FindQuestion(a, question)!, reader.FindQuestion(b, question)!);
        var expectedShared = SamplePair.SharedNeighbours(
            RunNeighbours.Load(Connections, a).Nearest(sampleA.SampleIndex, SideBySideView.NeighbourCount),
            RunNeighbours.Load(Connections, b).Nearest(sampleB.SampleIndex, SideBySideView.NeighbourCount));
        // The same model with other windows: the two latent spaces share some of the nearest questions.
        Assert.NotEmpty(expectedShared);
        await using var ctx = NewContext();

        var page = Render(ctx, a, b, question);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=b-neighbour]")), Wait);
        Assert.Equal(SideBySideView.NeighbourCount, page.FindAll("[data-testid=a-neighbour]").Count);
        Assert.Equal(SideBySideView.NeighbourCount, page.FindAll("[data-testid=b-neighbour]").Count);
        Assert.All(page.FindAll("[data-testid=a-neighbour]"), n => Assert.StartsWith($"/runs/{a}/samples/", n.GetAttribute("href"), StringComparison.Ordinal));
        Assert.All(page.FindAll("[data-testid=b-neighbour]"), n => Assert.StartsWith($"/runs/{b}/samples/", n.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Equal(2 * expectedShared.Count, page.FindAll("[data-shared=true]").Count);
        Assert.Equal(sampleA.Prediction, page.Find("[data-testid=a-prediction]").TextContent.Trim());
        Assert.Equal(sampleB.Prediction, page.Find("[data-testid=b-prediction]").TextContent.Trim());
        Assert.Equal(Math.Min(SampleSide.NBestShown, sampleA.NBest!.Count), page.FindAll("[data-testid=a-nbest] tr").Count);
        Assert.Contains("ALBERT", page.Find("[data-testid=a-model]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("background-color", page.Find("[data-testid=a-context-text]").InnerHtml, StringComparison.Ordinal);

        page.Find("button[data-testid=a-attribution-compute]").Click();

        page.WaitForAssertion(() => Assert.Contains("relative error", page.Find("[data-testid=a-completeness]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("background-color", page.Find("[data-testid=a-context-text]").InnerHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("background-color", page.Find("[data-testid=b-context-text]").InnerHtml, StringComparison.Ordinal);
        Assert.Equal("Compute", page.Find("button[data-testid=b-attribution-compute]").TextContent.Trim());
    }

    [Fact]
    public async Task Each_row_of_the_compare_page_links_to_the_side_by_side_view()
    {
        var (a, b) = SyntheticPair();
        await using var ctx = NewContext();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(RunRoutes.Compare(a, b));

        var page = ctx.Render<ComparePage>();

        page.WaitForElement("[data-testid=compare-flips]", Wait);
        var link = Assert.Single(page.FindAll("[data-testid=compare-side-by-side]"));
        Assert.Equal(RunRoutes.CompareSample(a, b, "synthetic-3"), link.GetAttribute("href"));
        Assert.Equal($"/runs/compare/sample?a={a}&b={b}&q=synthetic-3", RunRoutes.CompareSample(a, b, "synthetic-3"));
    }

    private static IRenderedComponent<CompareSamplePage> Render(BunitContext ctx, long a, long b, string question)
    {
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(RunRoutes.CompareSample(a, b, question));
        return ctx.Render<CompareSamplePage>();
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
