using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class MapFilterTests(SyntheticMapDatabase fixture) : IClassFixture<SyntheticMapDatabase>
{
    [Fact]
    public void Parses_categories_and_ranges_and_writes_them_back()
    {
        var category = Assert.IsType<CategoryFilter>(MapFilter.Parse("title=Article 03"));
        Assert.Equal("Article 03", category.Value);
        Assert.Equal("title=Article 03", category.Text);
        Assert.Equal("Article title = Article 03", category.Label);

        var range = Assert.IsType<RangeFilter>(MapFilter.Parse("f1=0..0.5"));
        Assert.Equal((0.0, 0.5), (range.Min!.Value, range.Max!.Value));
        Assert.Equal("f1=0..0.5", range.Text);
        Assert.Equal("F1 ∈ [0, 0.5]", range.Label);

        var open = Assert.IsType<RangeFilter>(MapFilter.Parse("loss=2.5.."));
        Assert.Null(open.Max);
        Assert.Equal("Loss ≥ 2.5", open.Label);
        Assert.Equal("loss=..0.001", new RangeFilter(MapFields.Get("loss"), null, 1e-3).Text);
        foreach (var text in new[] { "split=dev", "loss=..3", "f1=0.25..1", "exact_match=no" })
        {
            Assert.Equal(text, MapFilter.Parse(MapFilter.Parse(text).Text).Text);
        }
    }

    [Theory]
    [InlineData("split", "expected field=value")]
    [InlineData("=dev", "expected field=value")]
    [InlineData("colour=red", "unknown field 'colour'")]
    [InlineData("loss=3", "must be a range min..max")]
    [InlineData("loss=..", "at least one bound")]
    [InlineData("loss=a..3", "lower bound 'a' is not a number")]
    [InlineData("loss=1..NaN", "upper bound 'NaN' is not a number")]
    [InlineData("loss=3..1", "lower bound 3 is above the upper bound 1")]
    public void Rejects_bad_filters_naming_the_problem(string text, string message)
    {
        var error = Assert.Throws<InputException>(() => MapFilter.Parse(text));
        Assert.Contains($"filter '{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chips_on_one_field_are_alternatives_and_different_fields_must_all_hold()
    {
        var points = fixture.Points;
        var title = points.Categorical(MapFields.Get("title"));
        var split = points.Categorical(MapFields.Get("split"));
        var loss = points.Numeric(MapFields.Get("loss"));

        var mask = MapFilters.Apply(points, [MapFilter.Parse("title=Article 01"), MapFilter.Parse("title=Article 02"), MapFilter.Parse("loss=..2")]);

        var expected = Enumerable.Range(0, points.Count)
            .Select(i => (title.ValueAt(i) is "Article 01" or "Article 02") && loss[i] <= 2).ToArray();
        Assert.Equal(expected, mask);
        Assert.Contains(true, mask);
        Assert.All(MapFilters.Apply(points, []), Assert.True);
        Assert.DoesNotContain(true, MapFilters.Apply(points, [MapFilter.Parse("split=nonexistent")]));
        Assert.Equal(Enumerable.Range(0, points.Count).Select(i => split.ValueAt(i) == "train"), MapFilters.Apply(points, [MapFilter.Parse("split=train")]));
    }

    [Fact]
    public void A_range_never_matches_a_missing_value()
    {
        var points = fixture.Points;
        var distance = points.Numeric(MapFields.Get("relation_char_distance"));
        Assert.Contains(distance, double.IsNaN);

        var mask = MapFilters.Apply(points, [MapFilter.Parse("relation_char_distance=0..")]);

        Assert.Equal(distance.Select(d => !double.IsNaN(d)), mask);
    }
}
