using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>The two clusterings a run stores: k-means in <c>samples.cluster</c>, HDBSCAN in <c>samples.hdbscan_cluster</c>.</summary>
public static class ClusterMethods
{
    public const string KMeans = "kmeans";
    public const string Hdbscan = "hdbscan";

    public static IReadOnlyList<string> All { get; } = [KMeans, Hdbscan];

    public static bool IsKnown(string? method) => method is KMeans or Hdbscan;

    public static string Label(string method) => method == Hdbscan ? "HDBSCAN" : "k-means";

    /// <summary>The map field holding each sample's cluster under <paramref name="method"/>.</summary>
    public static MapField Field(string method) => MapFields.Get(method == Hdbscan ? "hdbscan_cluster" : "cluster");
}

/// <summary>A counted item of a cluster summary (an n-gram, an answer type, a title); count null when not stored.</summary>
public sealed record CountedItem(string Text, int? Count)
{
    public override string ToString() => Count is { } count ? $"{Text} ({count.ToString(CultureInfo.InvariantCulture)})" : Text;
}

/// <summary>One row of the <c>clusters</c> table with the lists of its <c>summary_json</c>.</summary>
public sealed record ClusterRow(
    string Method, int Cluster, int Size, double MeanLoss, double ExactMatch, double F1, string Name,
    IReadOnlyList<CountedItem> TopNgrams, IReadOnlyList<CountedItem> AnswerTypes, IReadOnlyList<CountedItem> Titles);

/// <summary>Reads the <c>clusters</c> table (schema migration 3).</summary>
public static class ClusterRows
{
    // The summary's lists under the names they may be stored with, first name preferred.
    // The latent analysis stores the question's first two words ("top_question_starts") as the cluster's n-grams.
    private static readonly string[] NgramKeys = ["top_question_starts", "top_ngrams", "ngrams", "top_terms", "terms"];
    private static readonly string[] AnswerTypeKeys = ["answer_types", "top_answer_types"];
    private static readonly string[] TitleKeys = ["top_titles", "titles"];
    private static readonly string[] TextKeys = ["text", "ngram", "term", "name", "value", "type", "title", "label"];

    /// <summary>Every cluster of the run under <paramref name="method"/>, by cluster number.</summary>
    public static IReadOnlyList<ClusterRow> Load(SqliteConnectionFactory database, long runId, string method)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT cluster, size, mean_loss, exact_match, f1, name, summary_json
            FROM clusters WHERE run_id = $run AND method = $method ORDER BY cluster
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$method", method);
        using var reader = command.ExecuteReader();
        var rows = new List<ClusterRow>();
        while (reader.Read())
        {
            var cluster = reader.GetInt32(0);
            var summary = ParseSummary(reader.GetString(6), $"clusters row ({method}, {cluster}) of run {runId}");
            rows.Add(new ClusterRow(method, cluster, reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetString(5), summary.Ngrams, summary.AnswerTypes, summary.Titles));
        }
        return rows;
    }

    /// <summary>
    /// The n-gram, answer-type and title lists of a summary. Each list may hold strings, <c>{"text": …, "count": …}</c>
    /// objects (or name/value/type/title instead of text), <c>[text, count]</c> pairs, or be a <c>{text: count}</c> object.
    /// </summary>
    public static (IReadOnlyList<CountedItem> Ngrams, IReadOnlyList<CountedItem> AnswerTypes, IReadOnlyList<CountedItem> Titles) ParseSummary(
        string json, string where)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: summary_json is not JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"{where}: summary_json must be a JSON object, found {document.RootElement.ValueKind}");
            }
            var root = document.RootElement;
            return (List(root, NgramKeys, where), List(root, AnswerTypeKeys, where), List(root, TitleKeys, where));
        }
    }

    private static List<CountedItem> List(JsonElement root, string[] keys, string where)
    {
        foreach (var key in keys)
        {
            if (!root.TryGetProperty(key, out var list))
            {
                continue;
            }
            return list.ValueKind switch
            {
                JsonValueKind.Array => [.. list.EnumerateArray().Select(item => Item(item, $"{where}: summary_json.{key}"))],
                JsonValueKind.Object => [.. list.EnumerateObject().Select(p => new CountedItem(p.Name, Count(p.Value, $"{where}: summary_json.{key}.{p.Name}")))],
                JsonValueKind.Null => [],
                _ => throw new InputException($"{where}: summary_json.{key} must be a list or an object, found {list.ValueKind}"),
            };
        }
        return [];
    }

    private static CountedItem Item(JsonElement item, string where)
    {
        switch (item.ValueKind)
        {
            case JsonValueKind.String:
                return new CountedItem(item.GetString()!, null);
            case JsonValueKind.Array when item.GetArrayLength() is 1 or 2 && item[0].ValueKind == JsonValueKind.String:
                return new CountedItem(item[0].GetString()!, item.GetArrayLength() == 2 ? Count(item[1], where) : null);
            case JsonValueKind.Object:
                foreach (var key in TextKeys)
                {
                    if (item.TryGetProperty(key, out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        return new CountedItem(text.GetString()!, item.TryGetProperty("count", out var count) ? Count(count, where) : null);
                    }
                }
                throw new InputException($"{where}: an item has none of the text fields {string.Join(", ", TextKeys)}");
            default:
                throw new InputException($"{where}: an item must be a string, [text, count] or an object, found {item.ValueKind}");
        }
    }

    private static int? Count(JsonElement count, string where) => count.ValueKind switch
    {
        JsonValueKind.Number when count.TryGetInt32(out var whole) => whole,
        JsonValueKind.Number => (int)Math.Round(count.GetDouble()),
        JsonValueKind.Null => null,
        _ => throw new InputException($"{where}: a count must be a number, found {count.ValueKind}"),
    };
}
