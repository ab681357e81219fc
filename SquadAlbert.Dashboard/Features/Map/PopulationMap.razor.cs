using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>
/// Draws <see cref="Points"/> in <see cref="Projection"/> with <see cref="Style"/>, re-sending coordinates only when the
/// run or projection changes and the style only when it changes; reports clicks and box/lasso selections.
/// </summary>
public sealed partial class PopulationMap : ComponentBase, IAsyncDisposable
{
    private const string ModulePath = "./js/population-map.js";

    private ElementReference _element;
    private IJSObjectReference? _module;
    private DotNetObjectReference<PopulationMap>? _self;
    private MapPoints? _sentPoints;
    private MapProjection _sentProjection;
    private MapStyle? _sentStyle;

    // Renders can come while a send is awaited; one sync at a time keeps a payload from going out twice.
    private readonly SemaphoreSlim _sync = new(1, 1);

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>DOM id of the plot; also its test id.</summary>
    [Parameter] public string Id { get; set; } = "population-map";

    [Parameter, EditorRequired] public MapPoints Points { get; set; } = default!;

    [Parameter] public MapProjection Projection { get; set; }

    [Parameter, EditorRequired] public MapStyle Style { get; set; } = default!;

    /// <summary>A point was clicked: its sample index.</summary>
    [Parameter] public EventCallback<int> PointClicked { get; set; }

    /// <summary>A box or lasso was drawn: the positions (into <see cref="Points"/>) of the visible points inside.</summary>
    [Parameter] public EventCallback<int[]> Selected { get; set; }

    [Parameter] public EventCallback SelectionCleared { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            await _module.InvokeVoidAsync("startLoadingPlotly", PlotlyScript.Url);
            _self = DotNetObjectReference.Create(this);
        }
        if (_module is null)
        {
            return;
        }
        await _sync.WaitAsync();
        try
        {
            await SyncAsync();
        }
        finally
        {
            _sync.Release();
        }
    }

    private async Task SyncAsync()
    {
        var module = _module!;
        if (!ReferenceEquals(_sentPoints, Points))
        {
            var payload = MapPointsPayload.Build(Points, Projection);
            await module.InvokeVoidAsync("setPoints", _element, _self, payload);
            (_sentPoints, _sentProjection, _sentStyle) = (Points, Projection, null);
        }
        else if (_sentProjection != Projection)
        {
            var (x, y) = MapPointsPayload.Coordinates(Points, Projection);
            await module.InvokeVoidAsync("setCoordinates", _element, x, y);
            _sentProjection = Projection;
        }
        if (!ReferenceEquals(_sentStyle, Style))
        {
            var payload = MapStylePayload.Build(Style);
            await module.InvokeVoidAsync("setStyle", _element, payload);
            _sentStyle = Style;
        }
    }

    [JSInvokable]
    public Task OnPointClicked(int sampleIndex) => PointClicked.InvokeAsync(sampleIndex);

    /// <summary>The hover label of the point at <paramref name="position"/> (into <see cref="Points"/>), asked for
    /// when the pointer rests on it.</summary>
    [JSInvokable]
    public string[]? HoverLines(int position) => MapPointsPayload.HoverLines(Points, position);

    /// <param name="hiddenEntries">Legend entries the user switched off in the plot's legend.</param>
    [JSInvokable]
    public Task OnBoxSelected(double x0, double x1, double y0, double y1, int[] hiddenEntries)
    {
        var (x, y) = Points.Coordinates(Projection);
        return Selected.InvokeAsync(MapSelection.InBox(x, y, Visible(hiddenEntries), x0, x1, y0, y1));
    }

    /// <param name="hiddenEntries">Legend entries the user switched off in the plot's legend.</param>
    [JSInvokable]
    public Task OnLassoSelected(double[] xs, double[] ys, int[] hiddenEntries)
    {
        var (x, y) = Points.Coordinates(Projection);
        return Selected.InvokeAsync(MapSelection.InLasso(x, y, Visible(hiddenEntries), xs, ys));
    }

    [JSInvokable]
    public Task OnSelectionCleared() => SelectionCleared.InvokeAsync();

    private bool[] Visible(int[] hiddenEntries) => MapSelection.Visible(Style.Codes, hiddenEntries);

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("dispose", _element);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the browser's plot with it.
            }
        }
        _self?.Dispose();
        _sync.Dispose();
    }
}
