using System.Globalization;
using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>What slicing needs of one sample. <paramref name="Cluster"/> is the k-means cluster, null before the latent stages ran.
/// <paramref name="Relation"/> is the prediction–gold relation as <see cref="RunSlices.RelationSlice"/> names it.</summary>
public sealed record SliceSample(
    string Title, string QuestionType, string AnswerType, int? Cluster, int ContextTokens, bool ExactMatch, double F1, double Loss, string Relation = "");

/// <summary>The samples of one slice. EM and F1 in percent.</summary>
public sealed record SliceRow(string Key, int Count, double ExactMatch, double F1, double MeanLoss);

/// <summary>One bar of a histogram: values in [<paramref name="Lower"/>, <paramref name="Upper"/>), the last bar closed.</summary>
public sealed record HistogramBin(double Lower, double Upper, int Count);

/// <summary>A run's figures by slice. <see cref="ByCluster"/> is empty when no sample has a cluster yet.</summary>
public sealed record RunSliceReport(
    long RunId, int Samples, IReadOnlyList<SliceRow> ByTitle, IReadOnlyList<SliceRow> ByQuestionType, IReadOnlyList<SliceRow> ByAnswerType,
    IReadOnlyList<SliceRow> ByCluster, IReadOnlyList<SliceRow> ByContextLength, IReadOnlyList<HistogramBin> LossHistogram,
    IReadOnlyList<SliceRow> ByRelation)
{
    public bool HasClusters => ByCluster.Count > 0;
}

/// <summary>
/// EM, F1 and mean loss of a run by title, question type, answer type, k-means cluster, context length (in tokens) and
/// prediction–gold relation, and its loss histogram. Slices are ordered by sample count, largest first (ties by key), except the context-length
/// bins and clusters, which keep their natural order.
/// </summary>
public static class RunSlices
{
    /// <summary>Upper bounds (exclusive) of the context-length bins in tokens; the last bin is open.</summary>
    public static IReadOnlyList<int> ContextLengthBounds { get; } = [100, 200, 300];

    public const int LossHistogramBins = 20;

    /// <summary>The relation slice of predictions that differ from a gold only by quotation marks.</summary>
    public const string QuotationMarksOnly = "quotation marks only";

    /// <summary>
    /// The relation slice of a sample: its stored <c>relation</c> ("exact", "normalization only", "overlap",
    /// "disjoint"), except that a prediction that differs from the golds only by quotation marks
    /// (<see cref="AnswerMarks.DiffersOnlyByQuotationMarks"/>) is <see cref="QuotationMarksOnly"/>, whatever the
    /// official normalisation made of it.
    /// </summary>
    public static string RelationSlice(string relation, string prediction, IEnumerable<string> golds) =>
        AnswerMarks.DiffersOnlyByQuotationMarks(prediction, golds) ? QuotationMarksOnly : relation;

    /// <exception cref="InputException">The run is not in the database.</exception>
    public static RunSliceReport Compute(SqliteConnectionFactory database, long runId)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (new RunStore(database).Find(runId) is null)
        {
            throw new InputException(string.Create(CultureInfo.InvariantCulture, $"{database.DatabasePath}: no run {runId}."));
        }
        return Aggregate(runId, Read(database, runId));
    }

    public static IReadOnlyList<SliceSample> Read(SqliteConnectionFactory database, long runId) => new RunStore(database).SliceSamples(runId);

    public static RunSliceReport Aggregate(long runId, IReadOnlyList<SliceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var clustered = samples.Where(s => s.Cluster is not null).ToList();
        return new RunSliceReport(
            runId, samples.Count,
            BySize(samples, s => s.Title),
            BySize(samples, s => s.QuestionType),
            BySize(samples, s => s.AnswerType),
            [.. Rows(clustered, s => s.Cluster!.Value).OrderBy(r => r.Order).Select(r => r.Row with { Key = "cluster " + r.Row.Key })],
            [.. Rows(samples, s => ContextLengthBin(s.ContextTokens)).OrderBy(r => r.Order).Select(r => r.Row with { Key = ContextLengthLabel(r.Order) })],
            Histogram([.. samples.Select(s => s.Loss)], LossHistogramBins),
            BySize(samples, s => s.Relation));
    }

    /// <summary>The index of the context-length bin of <paramref name="tokens"/> (0 for &lt;100, …, 3 for 300+).</summary>
    public static int ContextLengthBin(int tokens)
    {
        var bin = 0;
        while (bin < ContextLengthBounds.Count && tokens >= ContextLengthBounds[bin])
        {
            bin++;
        }
        return bin;
    }

    /// <summary>"&lt;100", "100–199", "200–299", "300+".</summary>
    public static string ContextLengthLabel(int bin)
    {
        var bounds = ContextLengthBounds;
        if (bin < 0 || bin > bounds.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(bin), bin, $"there are {bounds.Count + 1} context-length bins");
        }
        return bin == 0 ? string.Create(CultureInfo.InvariantCulture, $"<{bounds[0]}")
            : bin == bounds.Count ? string.Create(CultureInfo.InvariantCulture, $"{bounds[^1]}+")
            : string.Create(CultureInfo.InvariantCulture, $"{bounds[bin - 1]}–{bounds[bin] - 1}");
    }

    /// <summary>
    /// <paramref name="binCount"/> equal-width bins from the smallest to the largest value (the last bin includes the
    /// largest); no bins for no values, and one bin when all values are equal.
    /// </summary>
    public static IReadOnlyList<HistogramBin> Histogram(IReadOnlyList<double> values, int binCount)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        if (values.Count == 0)
        {
            return [];
        }
        var min = values.Min();
        var max = values.Max();
        if (max == min)
        {
            return [new HistogramBin(min, max, values.Count)];
        }
        var width = (max - min) / binCount;
        var counts = new int[binCount];
        foreach (var value in values)
        {
            counts[Math.Min((int)((value - min) / width), binCount - 1)]++;
        }
        return [.. counts.Select((count, i) => new HistogramBin(min + i * width, i == binCount - 1 ? max : min + (i + 1) * width, count))];
    }

    private static List<SliceRow> BySize(IReadOnlyList<SliceSample> samples, Func<SliceSample, string> key) =>
        [.. Rows(samples, key).Select(r => r.Row).OrderByDescending(r => r.Count).ThenBy(r => r.Key, StringComparer.Ordinal)];

    private static IEnumerable<(T Order, SliceRow Row)> Rows<T>(IReadOnlyList<SliceSample> samples, Func<SliceSample, T> key)
        where T : notnull =>
        samples.GroupBy(key).Select(g => (g.Key, new SliceRow(
            Convert.ToString(g.Key, CultureInfo.InvariantCulture)!, g.Count(), 100.0 * g.Average(s => s.ExactMatch ? 1.0 : 0.0),
            100.0 * g.Average(s => s.F1), g.Average(s => s.Loss))));
}
