using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class MapViewStateTests
{
    private static MapViewState RoundTrip(MapViewState state)
    {
        var query = state.ToQuery();
        return MapViewState.FromQuery(
            (string?)query[MapViewState.ProjectionKey], (string?)query[MapViewState.ColourKey], (string?)query[MapViewState.SizeKey],
            (string[]?)query[MapViewState.FilterKey]);
    }

    [Fact]
    public void A_state_survives_the_url()
    {
        var state = new MapViewState(MapProjection.Pca, MapFields.Get("loss"), MapFields.Get("f1"),
            [MapFilter.Parse("split=dev"), MapFilter.Parse("f1=..0.5"), MapFilter.Parse("title=A = B")]);

        var back = RoundTrip(state);

        Assert.Equal(state, back);
        Assert.Empty(back.Problems);
        Assert.Equal("A = B", Assert.IsType<CategoryFilter>(back.Filters[2]).Value);
    }

    [Fact]
    public void The_default_view_has_an_empty_query()
    {
        Assert.All(MapViewState.Default.ToQuery().Values, Assert.Null);
        Assert.Equal(MapViewState.Default, MapViewState.FromQuery(null, null, null, null));
        Assert.Equal(MapViewState.Default, RoundTrip(MapViewState.Default));
    }

    [Fact]
    public void Bad_url_parts_are_dropped_with_a_message_each()
    {
        var state = MapViewState.FromQuery("tsne", "colour_of_sky", "split", ["f1=2..1", "split=dev", "split=dev"]);

        Assert.Equal(MapProjection.Umap, state.Projection);
        Assert.Equal(MapViewState.DefaultColour, state.ColourBy);
        Assert.Null(state.SizeBy);
        Assert.Equal([MapFilter.Parse("split=dev")], state.Filters);
        Assert.Equal(4, state.Problems.Count);
        Assert.Contains(state.Problems, p => p.Contains("unknown projection 'tsne'", StringComparison.Ordinal));
        Assert.Contains(state.Problems, p => p.Contains("unknown colour field 'colour_of_sky'", StringComparison.Ordinal));
        Assert.Contains(state.Problems, p => p.Contains("size field 'split' is not a numeric field", StringComparison.Ordinal));
        Assert.Contains(state.Problems, p => p.Contains("filter 'f1=2..1'", StringComparison.Ordinal));
        Assert.Equal(MapProjection.Umap, MapViewState.FromQuery("1", null, null, null).Projection);
    }

    [Fact]
    public void Adding_and_removing_chips()
    {
        var filter = MapFilter.Parse("split=dev");
        var state = MapViewState.Default.WithFilter(filter).WithFilter(filter);

        Assert.Single(state.Filters);
        Assert.Empty(state.WithoutFilter(MapFilter.Parse("split=dev")).Filters);
    }
}
