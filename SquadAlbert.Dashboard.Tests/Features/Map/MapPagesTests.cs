using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Clusters;
using SquadAlbert.Dashboard.Features.Map;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

public sealed class MapPagesTests(MapDatabaseFixture fixture) : IClassFixture<MapDatabaseFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static void Navigate(BunitContext ctx, string url)
    {
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(url);
    }

    [Fact]
    public async Task The_map_page_shows_chips_from_the_url_and_the_visible_summary()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, $"/runs/{fixture.RunId}/map?colour=title&filter=split%3Dtrain&filter=loss%3D..2");

        var page = ctx.Render<MapPage>(p => p.Add(x => x.RunId, fixture.RunId));

        page.WaitForElement("[data-testid=population-map]", Wait);
        var chips = page.FindAll("[data-testid=filter-chip]");
        Assert.Equal(["Split = train", "Loss ≤ 2"], chips.Select(c => c.TextContent.Trim()));
        var expected = MapFilters.Apply(fixture.Points, [MapFilter.Parse("split=train"), MapFilter.Parse("loss=..2")]).Count(v => v);
        Assert.Equal(expected.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=visible-summary-count]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=url-problem]"));
    }

    [Fact]
    public async Task Prerendering_the_map_page_sends_the_loading_state_without_the_map()
    {
        await using var ctx = fixture.NewContext(interactive: false);
        Navigate(ctx, $"/runs/{fixture.RunId}/map");

        var page = ctx.Render<MapPage>(p => p.Add(x => x.RunId, fixture.RunId));

        Assert.Contains($"Loading the samples of run {fixture.RunId}", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=population-map]"));
        Assert.Empty(page.FindAll("[data-testid=visible-summary-count]"));
    }

    [Fact]
    public async Task The_map_page_reports_bad_url_parts_and_a_run_without_coordinates()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, $"/runs/{fixture.UnprojectedRunId}/map?colour=nope&filter=loss%3D5");

        var page = ctx.Render<MapPage>(p => p.Add(x => x.RunId, fixture.UnprojectedRunId));

        page.WaitForElement("[data-testid=no-coordinates]", Wait);
        Assert.Contains("has no UMAP coordinates yet", page.Find("[data-testid=no-coordinates]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=population-map]"));
        var problems = page.FindAll("[data-testid=url-problem]").Select(p => p.TextContent).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("unknown colour field 'nope'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_map_page_of_an_unknown_run_says_it_has_no_samples()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, "/runs/424242/map");

        var page = ctx.Render<MapPage>(p => p.Add(x => x.RunId, 424242L));

        page.WaitForElement("[data-testid=map-empty]", Wait);
    }

    [Fact]
    public async Task The_clusters_page_lists_each_cluster_with_its_summary_and_links()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, $"/runs/{fixture.RunId}/clusters?method=hdbscan");

        var page = ctx.Render<ClustersPage>(p => p.Add(x => x.RunId, fixture.RunId));

        page.WaitForElement("[data-testid=clusters-table]", Wait);
        var links = page.FindAll("[data-testid=cluster-link]");
        Assert.Contains(links, l => l.TextContent == "-1 (noise)");
        Assert.All(links, l => Assert.StartsWith($"/runs/{fixture.RunId}/clusters/hdbscan/", l.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("topic", page.Find("[data-testid=clusters-table] tbody").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clusters_page_says_when_a_run_is_not_clustered()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, $"/runs/{fixture.UnprojectedRunId}/clusters");

        var page = ctx.Render<ClustersPage>(p => p.Add(x => x.RunId, fixture.UnprojectedRunId));

        page.WaitForElement("[data-testid=no-clusters]", Wait);
        Assert.Contains("no k-means clusters yet", page.Find("[data-testid=no-clusters]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_page_lists_its_samples_highest_loss_first()
    {
        await using var ctx = fixture.NewContext();
        Navigate(ctx, $"/runs/{fixture.RunId}/clusters/kmeans/3");

        var page = ctx.Render<ClusterPage>(p => p.Add(x => x.RunId, fixture.RunId).Add(x => x.Method, "kmeans").Add(x => x.Cluster, 3));

        page.WaitForElement("[data-testid=cluster-samples]", Wait);
        var size = ClusterRows.Load(Analysis.Storage.AppSchema.Initialize(fixture.Path), fixture.RunId, "kmeans").Single(r => r.Cluster == 3).Size;
        Assert.Equal(size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=cluster-samples-summary-count]").TextContent);
        var losses = page.FindAll("[data-testid=sample-loss]").Select(l => double.Parse(l.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(losses);
        Assert.Equal(losses.OrderDescending(), losses);
        Assert.Contains("topic 3", page.Find("[data-testid=cluster-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_page_with_an_unknown_method_says_so()
    {
        await using var ctx = fixture.NewContext();

        var page = ctx.Render<ClusterPage>(p => p.Add(x => x.RunId, fixture.RunId).Add(x => x.Method, "dbscan").Add(x => x.Cluster, 1));

        page.WaitForElement("[data-testid=cluster-problem]", Wait);
        Assert.Contains("unknown clustering method 'dbscan'", page.Find("[data-testid=cluster-problem]").TextContent, StringComparison.Ordinal);
    }
}
