using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// What the map page shows for one run and one <see cref="MapViewState"/>: which points pass the filters, how they are
/// drawn, the values a filter can pick, and the current box/lasso selection with its aggregates.
/// </summary>
public sealed class MapView
{
    private int[] _selection = [];

    public MapView(MapPoints points, MapViewState state)
    {
        Points = points ?? throw new ArgumentNullException(nameof(points));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Visible = MapFilters.Apply(points, state.Filters);
        var colour = state.ColourBy.IsCategorical
            ? MapColouring.ByCategory(points, state.ColourBy, Visible)
            : MapColouring.ByNumber(points, state.ColourBy, Visible);
        Style = state.SizeBy is { } size ? colour with { Sizes = MapColouring.SizesBy(points, size) } : colour;
        VisibleCount = Visible.Count(v => v);
        HasCoordinates = points.HasCoordinates(state.Projection);
        VisibleSummary = SelectionSummary.Of(points, [.. Enumerable.Range(0, points.Count).Where(i => Visible[i])]);
    }

    public MapPoints Points { get; }

    public MapViewState State { get; }

    public bool[] Visible { get; }

    public int VisibleCount { get; }

    public MapStyle Style { get; }

    /// <summary>False when the run has not been projected yet (no coordinates in the chosen projection).</summary>
    public bool HasCoordinates { get; }

    /// <summary>Count, EM, F1 and mean loss of the points that pass the filters.</summary>
    public SelectionSummary VisibleSummary { get; }

    /// <summary>Positions of the selected points; empty when nothing is selected.</summary>
    public IReadOnlyList<int> Selection => _selection;

    public SelectionSummary? SelectionSummary { get; private set; }

    public IReadOnlyList<MapSampleRow> SelectedRows { get; private set; } = [];

    /// <summary>Replaces the selection by <paramref name="positions"/>, keeping only points that pass the filters.</summary>
    public void Select(IEnumerable<int> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        _selection = [.. positions.Where(p => p >= 0 && p < Points.Count && Visible[p]).Distinct()];
        SelectionSummary = SelectionSummary.Of(Points, _selection);
        SelectedRows = MapSampleRow.Of(Points, _selection);
    }

    public void ClearSelection()
    {
        _selection = [];
        SelectionSummary = null;
        SelectedRows = [];
    }

    /// <summary>The values of a categorical field a filter chip can pick, most frequent first (over all points).</summary>
    public IReadOnlyList<string> FilterValues(MapField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.IsCategorical ? Points.Categorical(field).Values : [];
    }
}
