using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class MapColouringTests(SyntheticMapDatabase fixture) : IClassFixture<SyntheticMapDatabase>
{
    private bool[] All => Enumerable.Repeat(true, fixture.Points.Count).ToArray();

    [Fact]
    public void Many_categories_are_capped_to_the_most_frequent_and_one_other_entry()
    {
        var style = MapColouring.ByCategory(fixture.Points, MapFields.Get("title"), All, maxCategories: 20);
        var titles = fixture.Points.Categorical(MapFields.Get("title"));

        Assert.Equal(21, style.Entries.Count);
        Assert.Equal("other (20 values)", style.Entries[^1].Name);
        Assert.Equal(MapColouring.OtherColour, style.Entries[^1].Colour);
        Assert.Equal(fixture.Points.Count, style.VisibleCount);
        Assert.Equal(style.Entries.Select(e => e.Count).Take(20).OrderByDescending(c => c), style.Entries.Select(e => e.Count).Take(20));
        for (var i = 0; i < fixture.Points.Count; i++)
        {
            var entry = style.Entries[style.Codes[i]];
            Assert.True(entry.Name == titles.ValueAt(i) || (style.Codes[i] == 20 && style.Entries.Take(20).All(e => e.Name != titles.ValueAt(i))));
        }
        Assert.Equal(20, style.Entries.Take(20).Select(e => e.Colour).Distinct().Count());
    }

    [Fact]
    public void Few_categories_get_one_entry_each_and_hidden_points_are_marked()
    {
        var visible = All;
        visible[0] = visible[1] = false;

        var style = MapColouring.ByCategory(fixture.Points, MapFields.Get("split"), visible);

        Assert.Equal(["dev", "train"], style.Entries.Select(e => e.Name));
        Assert.Equal(fixture.Points.Count - 2, style.VisibleCount);
        Assert.Equal(MapStyle.Hidden, style.Codes[0]);
        Assert.Equal(MapStyle.Hidden, style.Codes[1]);
        Assert.Equal(1, style.Codes[10]);
        Assert.Null(style.Values);
    }

    [Fact]
    public void Numeric_colouring_spans_the_visible_values_and_lists_missing_ones_apart()
    {
        var field = MapFields.Get("relation_char_distance");
        var values = fixture.Points.Numeric(field);

        var style = MapColouring.ByNumber(fixture.Points, field, All);

        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        Assert.Equal(present.Min(), style.ValueMin);
        Assert.Equal(present.Max(), style.ValueMax);
        Assert.True(style.Entries[0].ColourByValue);
        Assert.Equal(present.Length, style.Entries[0].Count);
        Assert.Equal(values.Count(double.IsNaN), style.Entries[1].Count);
        Assert.Equal(MapColouring.NoValueName, style.Entries[1].Name);
        Assert.Equal(values.Select(v => double.IsNaN(v) ? (byte)1 : (byte)0), style.Codes);
    }

    [Fact]
    public void Highlighting_splits_visible_points_in_two()
    {
        bool[] highlighted = [true, false, true, false];
        bool[] visible = [true, true, false, true];

        var style = MapColouring.Highlight(highlighted, visible, "cluster 3", "other samples");

        Assert.Equal([0, 1, MapStyle.Hidden, 1], style.Codes);
        Assert.Equal([1, 2], style.Entries.Select(e => e.Count));
        Assert.Equal(MapColouring.MissingColour, style.Entries[1].Colour);
    }

    [Fact]
    public void Sizes_grow_linearly_from_the_smallest_to_the_largest_value()
    {
        var loss = fixture.Points.Numeric(MapFields.Get("loss"));

        var sizes = MapColouring.SizesBy(fixture.Points, MapFields.Get("loss"));

        Assert.Equal((byte)MapColouring.MinMarkerSize, sizes[Array.IndexOf(loss, loss.Min())]);
        Assert.Equal((byte)MapColouring.MaxMarkerSize, sizes[Array.IndexOf(loss, loss.Max())]);
        var order = Enumerable.Range(0, loss.Length).OrderBy(i => loss[i]).Select(i => sizes[i]).ToArray();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void A_linked_title_reaches_the_legend_escaped_with_only_entities_plotly_decodes()
    {
        var style = MapColouring.ByCategory(fixture.Points, MapFields.Get("title"), All);
        var payload = MapStylePayload.Build(style with { Entries = [.. style.Entries.Select((e, i) => i == 0 ? e with { Name = "<a href=\"x\">t</a> & 'b'" } : e)] });

        // Plotly knows &lt; &gt; &amp; but not &quot;, which it would show as typed.
        Assert.Equal("&lt;a href=\"x\"&gt;t&lt;/a&gt; &amp; 'b'", payload.Names[0]);
    }

    [Fact]
    public void The_style_payload_carries_codes_and_encoded_names_but_no_coordinates()
    {
        var style = MapColouring.ByCategory(fixture.Points, MapFields.Get("title"), All) with { Sizes = MapColouring.SizesBy(fixture.Points, MapFields.Get("loss")) };
        var payload = MapStylePayload.Build(style with { Entries = [.. style.Entries.Select((e, i) => i == 0 ? e with { Name = "<b>x</b>" } : e)] });

        Assert.Equal("&lt;b&gt;x&lt;/b&gt;", payload.Names[0]);
        Assert.Equal(fixture.Points.Count, payload.Codes.Length);
        Assert.Equal(fixture.Points.Count, payload.Sizes!.Length);
        Assert.Null(payload.Values);
        // One code and one size byte per point against twelve bytes of coordinates and index.
        Assert.True(payload.ByteSize < MapPointsPayload.Build(fixture.Points, MapProjection.Umap).ByteSize / 4);
    }
}
