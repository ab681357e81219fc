using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Dashboard.Features.Map;

namespace SquadAlbert.Dashboard.Features.Clusters;

/// <summary>One cluster of a run on the map: its points highlighted (the rest greyed) and its samples, highest loss first.</summary>
public sealed class ClusterView
{
    public ClusterView(MapPoints points, string method, int cluster)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
        var column = points.Categorical(ClusterMethods.Field(method));
        var label = cluster.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Highlighted = [.. Enumerable.Range(0, points.Count).Select(i => column.ValueAt(i) == label)];
        var members = Enumerable.Range(0, points.Count).Where(i => Highlighted[i]).ToArray();
        var everyPoint = Enumerable.Repeat(true, points.Count).ToArray();
        Style = MapColouring.Highlight(Highlighted, everyPoint, $"{ClusterMethods.Label(method)} cluster {label}", "other samples");
        Summary = SelectionSummary.Of(points, members);
        Rows = [.. MapSampleRow.Of(points, members).OrderByDescending(r => r.Loss)];
    }

    public MapPoints Points { get; }

    public bool[] Highlighted { get; }

    public MapStyle Style { get; }

    /// <summary>Count, EM, F1 and mean loss of the cluster's samples, recomputed from the samples themselves.</summary>
    public SelectionSummary Summary { get; }

    /// <summary>The cluster's samples, highest loss first.</summary>
    public IReadOnlyList<MapSampleRow> Rows { get; }
}
