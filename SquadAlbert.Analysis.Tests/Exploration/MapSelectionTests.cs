using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class MapSelectionTests(SyntheticMapDatabase fixture) : IClassFixture<SyntheticMapDatabase>
{
    private static readonly double[] X = [0, 1, 2, 3, 0.5, double.NaN];
    private static readonly double[] Y = [0, 1, 2, 3, 2.5, 1];

    [Fact]
    public void A_box_selects_the_visible_points_inside_in_either_drag_direction()
    {
        bool[] visible = [true, true, true, true, true, true];

        Assert.Equal([1, 2], MapSelection.InBox(X, Y, visible, 0.5, 2, 0.5, 2));
        Assert.Equal([1, 2], MapSelection.InBox(X, Y, visible, 2, 0.5, 2, 0.5));
        visible[2] = false;
        Assert.Equal([1], MapSelection.InBox(X, Y, visible, 0.5, 2, 0.5, 2));
    }

    [Fact]
    public void A_lasso_selects_by_the_even_odd_rule()
    {
        bool[] visible = [true, true, true, true, true, true];
        // The triangle below the line x + y = 3.9 holds (0,0), (1,1) and (0.5,2.5); (2,2) and (3,3) lie above it, the NaN point nowhere.
        double[] px = [-0.1, 4, -0.1];
        double[] py = [-0.1, -0.1, 4];

        var inside = MapSelection.InLasso(X, Y, visible, px, py);

        Assert.Contains(0, inside);
        Assert.Contains(1, inside);
        Assert.Contains(4, inside);
        Assert.DoesNotContain(2, inside);
        Assert.DoesNotContain(3, inside);
        Assert.DoesNotContain(5, inside);
        Assert.Empty(MapSelection.InLasso(X, Y, visible, [0, 1], [0, 1]));
        Assert.Throws<ArgumentException>(() => MapSelection.InLasso(X, Y, visible, [0, 1, 2], [0, 1]));
    }

    [Fact]
    public void A_selection_summary_matches_the_official_style_percentages()
    {
        var points = fixture.Points;
        var positions = Enumerable.Range(0, 100).ToArray();
        var exact = points.Categorical(MapFields.Get("exact_match"));
        var f1 = points.Numeric(MapFields.Get("f1"));
        var loss = points.Numeric(MapFields.Get("loss"));

        var summary = SelectionSummary.Of(points, positions);

        Assert.Equal(100, summary.Count);
        Assert.Equal(positions.Count(i => exact.ValueAt(i) == MapFields.Yes), summary.ExactMatch, 9);
        Assert.Equal(positions.Average(i => f1[i]) * 100, summary.F1, 9);
        Assert.Equal(positions.Average(i => loss[i]), summary.MeanLoss, 9);
        var empty = SelectionSummary.Of(points, []);
        Assert.Equal(0, empty.Count);
        Assert.True(double.IsNaN(empty.F1));
    }

    [Fact]
    public void Points_of_legend_entries_switched_off_are_not_visible_nor_are_filtered_out_points()
    {
        byte[] codes = [0, 1, 2, MapStyle.Hidden, 1, 0];
        Assert.Equal([true, true, true, false, true, true], MapSelection.Visible(codes, []));
        Assert.Equal([true, false, true, false, false, true], MapSelection.Visible(codes, [1]));
        Assert.Equal([false, false, true, false, false, false], MapSelection.Visible(codes, [0, 1, 300, -1]));
    }
}
