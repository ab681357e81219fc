using System.Globalization;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>The two clusterings a run stores: k-means in <c>samples.cluster</c>, HDBSCAN in <c>samples.hdbscan_cluster</c>.</summary>
public static class ClusterMethods
{
    public const string KMeans = LatentStages.KMeans;
    public const string Hdbscan = LatentStages.Hdbscan;

    public static IReadOnlyList<string> All { get; } = [KMeans, Hdbscan];

    public static bool IsKnown(string? method) => method is KMeans or Hdbscan;

    public static string Label(string method) => method == Hdbscan ? "HDBSCAN" : "k-means";

    /// <summary>The map field holding each sample's cluster under <paramref name="method"/>.</summary>
    public static MapField Field(string method) => MapFields.Get(method == Hdbscan ? SampleColumns.HdbscanCluster : SampleColumns.Cluster);
}

/// <summary>A counted item of a cluster summary (an n-gram, an answer type, a title); count null when not stored.</summary>
public sealed record CountedItem(string Text, int? Count)
{
    public override string ToString() => Count is { } count ? $"{Text} ({count.ToString(CultureInfo.InvariantCulture)})" : Text;
}

/// <summary>One row of the <c>clusters</c> table, with the method it belongs to and the lists of its summary.</summary>
/// <param name="TopNgrams">The members' commonest question starts (first two words).</param>
public sealed record ClusterRow(
    string Method, int Cluster, int Size, double MeanLoss, double ExactMatch, double F1, string Name,
    IReadOnlyList<CountedItem> TopNgrams, IReadOnlyList<CountedItem> QuestionTypes, IReadOnlyList<CountedItem> AnswerTypes,
    IReadOnlyList<CountedItem> Titles);

/// <summary>Reads the <c>clusters</c> table through the latent analysis's own reader (<see cref="LatentStore.Clusters"/>).</summary>
public static class ClusterRows
{
    /// <summary>Every cluster of the run under <paramref name="method"/>, by cluster number.</summary>
    public static IReadOnlyList<ClusterRow> Load(SqliteConnectionFactory database, long runId, string method)
    {
        ArgumentNullException.ThrowIfNull(database);
        return [.. new LatentStore(database).Clusters(runId, method).Select(c => new ClusterRow(
            method, c.Cluster, c.Size, c.MeanLoss, c.ExactMatch, c.F1, c.Name,
            Items(c.TopQuestionStarts), Items(c.QuestionTypes), Items(c.AnswerTypes), Items(c.TopTitles)))];
    }

    private static List<CountedItem> Items(IReadOnlyList<ValueCount>? counts) => [.. (counts ?? []).Select(c => new CountedItem(c.Value, c.Count))];
}
