using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>How HDBSCAN picks flat clusters from the condensed tree.</summary>
public enum ClusterSelection
{
    /// <summary>Excess of mass: the set of non-overlapping clusters with the largest total stability.</summary>
    ExcessOfMass,

    /// <summary>The leaves of the condensed tree: many small, homogeneous clusters.</summary>
    Leaf,
}

/// <summary>Settings of <see cref="Hdbscan.Fit(RowMatrix, HdbscanOptions?)"/>.</summary>
public sealed record HdbscanOptions
{
    /// <summary>Smallest group that counts as a cluster (at least 2); smaller groups that split off are noise.</summary>
    public int MinClusterSize { get; init; } = 5;

    /// <summary>
    /// k of the core distance: the distance to the k-th nearest neighbour counting the point itself (as in
    /// Campello et al. and scikit-learn; the hdbscan Python package counts without the point, so its
    /// min_samples = this − 1). Defaults to <see cref="MinClusterSize"/>; larger values make the clustering more
    /// conservative (more noise).
    /// </summary>
    public int? MinSamples { get; init; }

    /// <summary>Excess of mass (default) or leaf selection.</summary>
    public ClusterSelection Selection { get; init; } = ClusterSelection.ExcessOfMass;

    /// <summary>
    /// Whether the root (all points) may be selected as the single cluster. Off by default, as in the reference
    /// implementations, because otherwise EOM tends to return one cluster for data with a weak structure.
    /// </summary>
    public bool AllowSingleCluster { get; init; }
}

/// <summary>
/// One edge of the condensed tree: a point or a cluster leaving <paramref name="Parent"/> at density
/// λ = 1 / mutual-reachability distance. Cluster 0 is the root; a child cluster always has a larger id than its
/// parent.
/// </summary>
/// <param name="Parent">Condensed cluster the child leaves.</param>
/// <param name="Child">Row index (when <paramref name="ChildIsCluster"/> is false) or condensed cluster id.</param>
/// <param name="ChildIsCluster">Whether <paramref name="Child"/> is a cluster born in a true split.</param>
/// <param name="Lambda">1 / distance at which it leaves; +∞ for a zero distance (coincident points).</param>
/// <param name="ChildSize">1 for a point, the number of points for a cluster.</param>
public readonly record struct CondensedTreeEdge(int Parent, int Child, bool ChildIsCluster, double Lambda, int ChildSize);

/// <summary>Flat clustering extracted from the HDBSCAN hierarchy.</summary>
/// <param name="Labels">Cluster of each row, 0..ClusterCount−1, or −1 for noise.</param>
/// <param name="Probabilities">
/// Strength of membership in [0, 1]: λ at which the row left its cluster's subtree divided by the largest λ in that
/// subtree (1 = in the densest part); 0 for noise.
/// </param>
/// <param name="OutlierScores">
/// GLOSH (Campello et al. 2015): 1 − λ(row) / λmax of the condensed cluster the row fell out of, in [0, 1];
/// high for rows much sparser than their cluster's densest part, defined for noise too.
/// </param>
/// <param name="ClusterCount">Number of clusters found.</param>
/// <param name="Stabilities">Stability Σ (λ_leave − λ_birth)·size of each selected cluster, indexed by label.</param>
/// <param name="CondensedTree">All edges of the condensed tree, for plots and inspection.</param>
/// <param name="ClusterNodes">Condensed cluster id of each label.</param>
public sealed record HdbscanResult(
    int[] Labels,
    float[] Probabilities,
    float[] OutlierScores,
    int ClusterCount,
    double[] Stabilities,
    IReadOnlyList<CondensedTreeEdge> CondensedTree,
    int[] ClusterNodes);

/// <summary>
/// HDBSCAN (Campello, Moulavi &amp; Sander 2013/2015) with Euclidean distance: core distances, minimum spanning
/// tree of the mutual-reachability graph, single-linkage hierarchy, condensed tree with a minimum cluster size,
/// excess-of-mass or leaf selection, membership probabilities and GLOSH outlier scores.
/// </summary>
/// <remarks>
/// Exact. Up to <see cref="MutualReachability.SpatialMaxDimension"/> dimensions (the UMAP 2-D map) and from
/// <see cref="MutualReachability.SpatialMinRows"/> rows, the spanning tree comes from a k-d tree (core distances,
/// Borůvka, a sparse replay of Prim's algorithm: <see cref="SpatialSpanningTree"/>), about O(n·k·log n) time and
/// O(n·k) memory, 100k 2-D rows in seconds; otherwise the core distances and Prim's algorithm on the dense
/// mutual-reachability graph each cost O(n²·d) time, parallel over rows, and O(n·d) memory. Both give the same
/// tree, edge for edge; the rest is O(n log n). The result is deterministic: ties between equal distances are
/// broken by row index.
/// </remarks>
public static class Hdbscan
{
    /// <summary>Clusters the rows of <paramref name="data"/> (count × dimension, row-major).</summary>
    public static HdbscanResult Fit(float[] data, int count, int dimension, HdbscanOptions? options = null) =>
        Fit(new RowMatrix(data, count, dimension, nameof(data)), options);

    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    public static HdbscanResult Fit(RowMatrix data, HdbscanOptions? options = null) => Fit(data, options, SpanningTreeMethod.Auto);

    /// <summary>Clusters the rows of <paramref name="data"/> with the spanning tree built by <paramref name="method"/>.</summary>
    internal static HdbscanResult Fit(RowMatrix data, HdbscanOptions? options, SpanningTreeMethod method)
    {
        options ??= new HdbscanOptions();
        var count = data.Rows;
        if (options.MinClusterSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinClusterSize, "MinClusterSize must be at least 2");
        }
        var minSamples = options.MinSamples ?? options.MinClusterSize;
        if (minSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), minSamples, "MinSamples must be at least 1");
        }
        foreach (var value in data.Values)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("data contains NaN or infinite values", nameof(data));
            }
        }
        if (count < 2)
        {
            return HdbscanHierarchy.AllNoise(count);
        }
        var tree = MutualReachability.SpanningTree(data, Math.Min(minSamples, count), method);
        return HdbscanHierarchy.Extract(count, tree, options);
    }
}
