using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Clusters;

/// <summary>One cluster: its summary row, the map with its samples highlighted, and its samples by loss.</summary>
public sealed partial class ClusterPage
{
    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private MapPointCache Cache { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    [Parameter] public string Method { get; set; } = "";

    [Parameter] public int Cluster { get; set; }

    /// <summary>The map's projection, as on the map page.</summary>
    [SupplyParameterFromQuery(Name = MapViewState.ProjectionKey)] public string? ProjectionName { get; set; }

    private MapProjection Projection { get; set; }
    private ClusterView? View { get; set; }
    private ClusterRow? Row { get; set; }
    private string? Problem { get; set; }

    private string Title => $"{(ClusterMethods.IsKnown(Method) ? ClusterMethods.Label(Method) : Method)} cluster {Cluster}";

    private string ClustersHref => Method == ClusterMethods.Hdbscan ? $"{RunRoutes.Clusters(RunId)}?method={Method}" : RunRoutes.Clusters(RunId);

    protected override async Task OnParametersSetAsync()
    {
        Projection = MapViewState.FromQuery(ProjectionName, null, null, null).Projection;
        if (!ClusterMethods.IsKnown(Method))
        {
            Problem = $"unknown clustering method '{Method}' (kmeans or hdbscan)";
            return;
        }
        Problem = null;
        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: the HTML goes out at once, without the map, while the points are read.
            Cache.Prefetch(RunId);
            return;
        }
        try
        {
            var points = await Cache.GetAsync(RunId);
            Row = (await Task.Run(() => ClusterRows.Load(Database.Connections, RunId, Method))).FirstOrDefault(r => r.Cluster == Cluster);
            View = new ClusterView(points, Method, Cluster);
        }
        catch (InputException e)
        {
            Problem = e.Message;
        }
    }

    private void OpenSample(int sampleIndex) => Navigation.NavigateTo(RunRoutes.Sample(RunId, sampleIndex));
}
