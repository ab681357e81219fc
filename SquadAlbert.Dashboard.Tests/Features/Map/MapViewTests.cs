using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Clusters;
using SquadAlbert.Dashboard.Features.Map;

namespace SquadAlbert.Dashboard.Tests.Features.Map;

public sealed class MapViewTests(MapDatabaseFixture fixture) : IClassFixture<MapDatabaseFixture>
{
    [Fact]
    public void Filters_colour_and_size_follow_the_state()
    {
        var state = MapViewState.FromQuery("pca", "loss", "f1", ["split=dev"]);

        var view = new MapView(fixture.Points, state);

        var split = fixture.Points.Categorical(MapFields.Get("split"));
        var dev = Enumerable.Range(0, fixture.Points.Count).Count(i => split.ValueAt(i) == "dev");
        Assert.Equal(dev, view.VisibleCount);
        Assert.Equal(dev, view.VisibleSummary.Count);
        Assert.True(view.Style.Entries[0].ColourByValue);
        Assert.NotNull(view.Style.Sizes);
        Assert.Equal(fixture.Points.Count - dev, view.Style.Codes.Count(c => c == MapStyle.Hidden));
        Assert.True(view.HasCoordinates);
        Assert.Equal(["dev", "train"], view.FilterValues(MapFields.Get("split")));
        Assert.Empty(view.FilterValues(MapFields.Get("loss")));
    }

    [Fact]
    public void A_selection_keeps_visible_points_only_and_lists_them()
    {
        var view = new MapView(fixture.Points, MapViewState.FromQuery(null, null, null, ["split=train"]));

        view.Select([0, 1, 10, 20, 20, -1, 99_999]);

        Assert.Equal([0, 10, 20], view.Selection);
        Assert.Equal(3, view.SelectionSummary!.Count);
        Assert.Equal([0, 10, 20], view.SelectedRows.Select(r => r.SampleIndex));
        Assert.Equal(fixture.Points.Question[10], view.SelectedRows[1].Question);
        view.ClearSelection();
        Assert.Empty(view.Selection);
        Assert.Null(view.SelectionSummary);
    }

    [Fact]
    public void The_filter_draft_builds_chips_or_says_what_is_missing()
    {
        var draft = new MapFilterDraft();
        Assert.Contains("choose a field", Assert.Throws<InputException>(draft.Build).Message, StringComparison.Ordinal);

        draft.Field = MapFields.Get("split");
        Assert.Contains("choose a value of Split", Assert.Throws<InputException>(draft.Build).Message, StringComparison.Ordinal);
        draft.Value = "dev";
        Assert.Equal(MapFilter.Parse("split=dev"), draft.Build());

        draft.Field = MapFields.Get("loss");
        draft.Reset();
        Assert.Contains("at least one bound", Assert.Throws<InputException>(draft.Build).Message, StringComparison.Ordinal);
        draft.Min = 1.5;
        Assert.Equal("loss=1.5..", draft.Build().Text);
        draft.Max = 0.5;
        Assert.Contains("above the upper bound", Assert.Throws<InputException>(draft.Build).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_view_highlights_its_members_and_lists_them_by_loss()
    {
        var view = new ClusterView(fixture.Points, ClusterMethods.KMeans, 2);

        var clusters = fixture.Points.Categorical(MapFields.Get("cluster"));
        var members = Enumerable.Range(0, fixture.Points.Count).Where(i => clusters.ValueAt(i) == "2").ToArray();
        Assert.NotEmpty(members);
        Assert.Equal(members.Length, view.Summary.Count);
        Assert.Equal(members.Length, view.Style.Entries[0].Count);
        Assert.Equal(fixture.Points.Count - members.Length, view.Style.Entries[1].Count);
        Assert.All(members, i => Assert.Equal(0, view.Style.Codes[i]));
        Assert.Equal(view.Rows.Select(r => r.Loss).OrderDescending(), view.Rows.Select(r => r.Loss));
        Assert.Empty(new ClusterView(fixture.Points, ClusterMethods.Hdbscan, 999).Rows);
    }
}
