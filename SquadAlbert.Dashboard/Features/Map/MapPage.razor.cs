using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// The population map of one run: its samples at their UMAP or PCA coordinates, coloured, sized and filtered by any
/// sample field. Every choice lives in the URL (<see cref="MapViewState"/>), so a view can be bookmarked: controls
/// navigate, and the page redraws from the query.
/// </summary>
public sealed partial class MapPage
{
    private const string NoSize = "";
    private const int MaxFilterValues = 200;

    private MapPoints? _points;

    [Inject] private MapPointCache Cache { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    [SupplyParameterFromQuery(Name = MapViewState.ProjectionKey)] public string? Projection { get; set; }
    [SupplyParameterFromQuery(Name = MapViewState.ColourKey)] public string? Colour { get; set; }
    [SupplyParameterFromQuery(Name = MapViewState.SizeKey)] public string? SizeField { get; set; }
    [SupplyParameterFromQuery(Name = MapViewState.FilterKey)] public string[]? Filter { get; set; }

    private MapView? View { get; set; }
    private string? LoadError { get; set; }
    private MapFilterDraft Draft { get; } = new();
    private string? DraftError { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: the HTML goes out at once, without the map (nothing could draw it yet), while the points are read.
            Cache.Prefetch(RunId);
            return;
        }
        if (_points?.RunId != RunId)
        {
            View = null;
            LoadError = null;
            try
            {
                _points = await Cache.GetAsync(RunId);
            }
            catch (InputException e)
            {
                LoadError = e.Message;
                return;
            }
        }
        var state = MapViewState.FromQuery(Projection, Colour, SizeField, Filter);
        if (View is null || View.State != state || !ReferenceEquals(View.Points, _points))
        {
            var selection = View?.Selection;
            View = new MapView(_points!, state);
            if (selection is { Count: > 0 })
            {
                View.Select(selection);
            }
        }
    }

    private static string FieldLabel(MapField field) => $"{field.Label} ({(field.IsCategorical ? "category" : "number")})";

    private static string ProjectionLabel(MapProjection projection) => projection == MapProjection.Pca ? "PCA" : "UMAP";

    private void Show(MapViewState state) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(state.ToQuery()));

    private void SetProjection(MapProjection projection) => Show(View!.State with { Projection = projection });

    private void SetColour(string name) => Show(View!.State with { ColourBy = MapFields.Get(name) });

    private void SetSize(string name) => Show(View!.State with { SizeBy = MapFields.Find(name) });

    private void SetDraftField(string name)
    {
        Draft.Field = MapFields.Find(name);
        Draft.Reset();
        DraftError = null;
    }

    private void AddFilter()
    {
        try
        {
            var filter = Draft.Build();
            DraftError = null;
            Draft.Reset();
            Show(View!.State.WithFilter(filter));
        }
        catch (InputException e)
        {
            DraftError = e.Message;
        }
    }

    private void RemoveFilter(MapFilter filter) => Show(View!.State.WithoutFilter(filter));

    private void OpenSample(int sampleIndex) => Navigation.NavigateTo(RunRoutes.Sample(RunId, sampleIndex));

    private void Select(int[] positions) => View?.Select(positions);

    private void ClearSelection() => View?.ClearSelection();
}
