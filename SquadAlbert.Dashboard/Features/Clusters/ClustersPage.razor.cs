using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Clusters;

/// <summary>The clusters of one run under k-means or HDBSCAN (<c>?method=</c>), as the latent analysis summarised them.</summary>
public sealed partial class ClustersPage
{
    private const int ListedItems = 5;

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    [SupplyParameterFromQuery(Name = "method")] public string? Method { get; set; }

    private string SelectedMethod { get; set; } = ClusterMethods.KMeans;
    private IReadOnlyList<ClusterRow>? Rows { get; set; }
    private string? Problem { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        Problem = Method is null || ClusterMethods.IsKnown(Method) ? null : $"unknown clustering method '{Method}' (kmeans or hdbscan); showing k-means";
        SelectedMethod = ClusterMethods.IsKnown(Method) ? Method! : ClusterMethods.KMeans;
        Rows = null;
        try
        {
            Rows = await Task.Run(() => ClusterRows.Load(Database.Connections, RunId, SelectedMethod));
        }
        catch (InputException e)
        {
            Problem = e.Message;
            Rows = [];
        }
    }

    private void SetMethod(string method) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("method", method == ClusterMethods.KMeans ? null : method));

    private static string ClusterLabel(ClusterRow row) => row.Cluster < 0 && row.Method == ClusterMethods.Hdbscan ? $"{row.Cluster} (noise)" : $"{row.Cluster}";

    private static string Joined(IReadOnlyList<CountedItem> items) => string.Join(", ", items.Take(ListedItems));
}
