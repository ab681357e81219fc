using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis.Attribution;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>The controls and result line of one <see cref="AttributionState"/>; the page that owns the state redraws its tokens
/// when <see cref="Changed"/> fires (settings changed, a computation ended).</summary>
public sealed partial class AttributionPanel : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();

    [Parameter, EditorRequired] public AttributionState State { get; set; } = default!;

    /// <summary>The sample's loss window, named in the "not computed yet" line.</summary>
    [Parameter] public int LossWindow { get; set; }

    [Parameter] public string Title { get; set; } = "Attribution heatmap";

    /// <summary>Put before every data-testid ("" on the sample page, "a-"/"b-" on the side-by-side view).</summary>
    [Parameter] public string TestIdPrefix { get; set; } = "";

    [Parameter] public EventCallback Changed { get; set; }

    private string Id(string name) => TestIdPrefix + name;

    private Task SetMethod(AttributionMethod method)
    {
        State.SetMethod(method);
        return Changed.InvokeAsync();
    }

    private Task SetTarget(AttributionTarget target)
    {
        State.SetTarget(target);
        return Changed.InvokeAsync();
    }

    private Task SetRule(IntegrationRule rule)
    {
        State.SetRule(rule);
        return Changed.InvokeAsync();
    }

    private Task SetSteps(int steps)
    {
        State.SetSteps(steps);
        return Changed.InvokeAsync();
    }

    private async Task ComputeAsync()
    {
        var computation = State.ComputeAsync(_disposed.Token);
        // The spinner and Cancel show while it runs.
        StateHasChanged();
        await computation;
        if (!_disposed.IsCancellationRequested)
        {
            await Changed.InvokeAsync();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
