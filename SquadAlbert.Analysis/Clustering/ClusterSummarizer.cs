using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>The facts of one sample a cluster summary is made of (columns of <c>samples</c>).</summary>
/// <param name="ExactMatch">Official exact match.</param>
/// <param name="F1">Official F1 in [0, 1].</param>
/// <param name="QuestionFirstWords">The question's first two words, lower case.</param>
public sealed record ClusterMember(
    double Loss, bool ExactMatch, double F1, string QuestionType, string QuestionFirstWords, string AnswerType, string Title,
    double AnswerPosition, bool IsMultiWindow);

/// <summary>A value and how many members of the cluster have it.</summary>
public sealed record ValueCount(string Value, int Count);

/// <summary>
/// One row of the <c>clusters</c> table. <see cref="ExactMatch"/> and <see cref="F1"/> are percentages (0–100), as
/// in <c>runs</c>; the remaining fields go to <c>summary_json</c> (<see cref="ToSummaryJson"/>).
/// </summary>
public sealed record ClusterSummary(
    int Cluster, int Size, double MeanLoss, double ExactMatch, double F1, string Name,
    IReadOnlyList<ValueCount> TopQuestionStarts, IReadOnlyList<ValueCount> QuestionTypes, IReadOnlyList<ValueCount> AnswerTypes,
    IReadOnlyList<ValueCount> TopTitles, double MeanAnswerPosition, double MultiWindowShare)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string ToSummaryJson() => JsonSerializer.Serialize(new SummaryJson(
        TopQuestionStarts, QuestionTypes, AnswerTypes, TopTitles, MeanAnswerPosition, MultiWindowShare), JsonOptions);

    public static (IReadOnlyList<ValueCount> TopQuestionStarts, IReadOnlyList<ValueCount> QuestionTypes, IReadOnlyList<ValueCount> AnswerTypes,
        IReadOnlyList<ValueCount> TopTitles, double MeanAnswerPosition, double MultiWindowShare) ParseSummaryJson(string json)
    {
        var summary = JsonSerializer.Deserialize<SummaryJson>(json, JsonOptions)
                      ?? throw new InputException($"clusters.summary_json is not a JSON object: {json}");
        return (summary.TopQuestionStarts, summary.QuestionTypes, summary.AnswerTypes, summary.TopTitles, summary.MeanAnswerPosition,
            summary.MultiWindowShare);
    }

    private sealed record SummaryJson(
        [property: JsonPropertyName("top_question_starts")] IReadOnlyList<ValueCount> TopQuestionStarts,
        [property: JsonPropertyName("question_types")] IReadOnlyList<ValueCount> QuestionTypes,
        [property: JsonPropertyName("answer_types")] IReadOnlyList<ValueCount> AnswerTypes,
        [property: JsonPropertyName("top_titles")] IReadOnlyList<ValueCount> TopTitles,
        [property: JsonPropertyName("mean_answer_position")] double MeanAnswerPosition,
        [property: JsonPropertyName("multi_window_share")] double MultiWindowShare);
}

/// <summary>Describes the clusters of a labelling: size, quality, what questions and answers they hold, and a short name.</summary>
public static class ClusterSummarizer
{
    /// <summary>A value names its side of the cluster alone when at least this share of the members has it.</summary>
    public const double DominantShare = 0.4;

    /// <summary>Label of HDBSCAN's noise (<see cref="HdbscanResult.Labels"/>), named <see cref="NoiseName"/>.</summary>
    public const int Noise = -1;

    public const string NoiseName = "noise";

    private const int TopCount = 5;

    /// <summary>One summary per distinct label, in label order (noise, −1, first when present).</summary>
    public static IReadOnlyList<ClusterSummary> Summarize(IReadOnlyList<ClusterMember> members, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(labels);
        if (members.Count != labels.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {members.Count} members.", nameof(labels));
        }
        return Enumerable.Range(0, members.Count)
            .GroupBy(i => labels[i])
            .OrderBy(group => group.Key)
            .Select(group => SummarizeOne(group.Key, group.Select(i => members[i]).ToList()))
            .ToList();
    }

    /// <summary>
    /// "question · answer": each side is the dominant value of the members' question types (answer types) when it has
    /// at least <see cref="DominantShare"/> of the members, else the two most frequent joined by "/" (ties by value,
    /// ordinal); e.g. "what year · year", "what/who · proper noun". Noise is named <see cref="NoiseName"/>.
    /// </summary>
    public static string Name(int cluster, IReadOnlyList<ValueCount> questionTypes, IReadOnlyList<ValueCount> answerTypes)
    {
        ArgumentNullException.ThrowIfNull(questionTypes);
        ArgumentNullException.ThrowIfNull(answerTypes);
        return cluster == Noise ? NoiseName : $"{Side(questionTypes)} · {Side(answerTypes)}";
    }

    /// <summary>Counts of each value, most frequent first, ties by value (ordinal), at most <paramref name="top"/>.</summary>
    public static IReadOnlyList<ValueCount> Counts(IEnumerable<string> values, int top = int.MaxValue) =>
        values.GroupBy(value => value, StringComparer.Ordinal)
            .Select(group => new ValueCount(group.Key, group.Count()))
            .OrderByDescending(count => count.Count)
            .ThenBy(count => count.Value, StringComparer.Ordinal)
            .Take(top)
            .ToList();

    private static string Side(IReadOnlyList<ValueCount> unordered)
    {
        var counts = unordered.OrderByDescending(count => count.Count).ThenBy(count => count.Value, StringComparer.Ordinal).ToList();
        if (counts.Count == 0)
        {
            return "?";
        }
        var total = counts.Sum(count => count.Count);
        return counts.Count == 1 || counts[0].Count >= DominantShare * total
            ? counts[0].Value
            : string.Create(CultureInfo.InvariantCulture, $"{counts[0].Value}/{counts[1].Value}");
    }

    private static ClusterSummary SummarizeOne(int cluster, List<ClusterMember> members)
    {
        var questionTypes = Counts(members.Select(m => m.QuestionType));
        var answerTypes = Counts(members.Select(m => m.AnswerType));
        return new ClusterSummary(
            cluster,
            members.Count,
            members.Average(m => m.Loss),
            100.0 * members.Average(m => m.ExactMatch ? 1.0 : 0.0),
            100.0 * members.Average(m => m.F1),
            Name(cluster, questionTypes, answerTypes),
            Counts(members.Select(m => m.QuestionFirstWords), TopCount),
            questionTypes,
            answerTypes,
            Counts(members.Select(m => m.Title), TopCount),
            members.Average(m => m.AnswerPosition),
            members.Average(m => m.IsMultiWindow ? 1.0 : 0.0));
    }
}
