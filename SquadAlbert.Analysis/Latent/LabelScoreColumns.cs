using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Latent;

/// <summary>A sample's stored label-error evidence: its components, learned score and kind; all null until the
/// label_scores stage scored the run (or when it was scored before the components existed).</summary>
public sealed record LabelScores(LabelErrorComponents? Components, double? ErrorScore, LabelKind? Kind)
{
    public static LabelScores Unscored { get; } = new(null, null, null);
}

/// <summary>
/// The <c>samples</c> columns of <see cref="LabelScores"/>, in one place for every reader and the writer: the loss
/// columns the components' loss and gold probability come from, each <c>label_*</c> column, the score and the kind.
/// </summary>
internal static class LabelScoreColumns
{
    private static readonly string[] LossColumns = [SampleColumns.LossStart, SampleColumns.LossEnd];

    public const string GoldProbability = "label_gold_probability";
    public const string DisjointConfidence = "label_disjoint_confidence";
    public const string DisjointDistance = "label_disjoint_distance";
    public const string GoldDisagreement = "label_gold_disagreement";
    public const string AnswerOccurrences = "label_answer_occurrences";
    public const string GoldSpanMass = "label_gold_span_mass";
    public const string GoldNBestRank = "label_gold_nbest_rank";
    public const string AnswerTypeMismatch = "label_answer_type_mismatch";
    public const string NeighbourTypeDisagreement = "label_neighbour_type_disagreement";
    public const string OutlierAnnotator = "label_outlier_annotator";
    public const string ErrorScore = "label_error_score";
    public const string Kind = "label_kind";

    /// <summary>What the label_scores stage writes, in the order of <see cref="Value"/>.</summary>
    public static IReadOnlyList<string> Written { get; } =
    [
        GoldProbability, DisjointConfidence, DisjointDistance, GoldDisagreement, AnswerOccurrences, GoldSpanMass, GoldNBestRank,
        AnswerTypeMismatch, NeighbourTypeDisagreement, OutlierAnnotator, ErrorScore, Kind,
    ];

    /// <summary>The select list of what <see cref="Read"/> reads, each column prefixed with <paramref name="table"/> and a dot when given.</summary>
    public static string Select(string? table = null) =>
        string.Join(", ", LossColumns.Concat(Written).Select(column => table is null ? column : $"{table}.{column}"));

    /// <summary>Reads the <see cref="Select"/> columns of the current row by name; <paramref name="source"/> names the row in errors.</summary>
    public static LabelScores Read(SqliteDataReader row, string source)
    {
        var (lossStart, lossEnd) = (row.Real(SampleColumns.LossStart), row.Real(SampleColumns.LossEnd));
        double? Label(string column) => row.RealOrNull(column);
        var score = Label(ErrorScore);
        var kind = row.TextOrNull(Kind) is { } label ? LabelKinds.Parse(label, $"{source}: samples.{Kind}") : (LabelKind?)null;
        LabelErrorComponents? components = null;
        // label_gold_probability is stored for the map and the dashboard; the components derive it from the losses.
        if (Label(GoldProbability) is not null && Label(DisjointConfidence) is { } disjointConfidence && Label(DisjointDistance) is { } disjointDistance
            && Label(GoldDisagreement) is { } disagreement && Label(AnswerOccurrences) is { } occurrences && Label(GoldSpanMass) is { } spanMass
            && Label(AnswerTypeMismatch) is { } typeMismatch && Label(NeighbourTypeDisagreement) is { } neighbourDisagreement
            && Label(OutlierAnnotator) is { } outlierAnnotator)
        {
            components = new LabelErrorComponents(lossStart, lossEnd, disjointConfidence, disjointDistance, disagreement,
                (int)occurrences, spanMass, row.Int32OrNull(GoldNBestRank), typeMismatch, neighbourDisagreement, outlierAnnotator);
        }
        return new LabelScores(components, score, kind);
    }

    /// <summary>The value of <see cref="Written"/>[<paramref name="column"/>] for <paramref name="scores"/>.</summary>
    public static object? Value(LabelErrorScores scores, int column)
    {
        var c = scores.Components;
        return column switch
        {
            0 => c.GoldProbability,
            1 => c.DisjointConfidence,
            2 => c.DisjointDistance,
            3 => c.GoldDisagreement,
            4 => c.AnswerOccurrences,
            5 => c.GoldSpanMass,
            6 => c.GoldNBestRank,
            7 => c.AnswerTypeMismatch,
            8 => c.NeighbourTypeDisagreement,
            9 => c.OutlierAnnotator,
            10 => scores.Score,
            11 => scores.Kind.Label(),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, $"label score columns are 0..{Written.Count - 1}"),
        };
    }
}

/// <summary>Which weights a run's label_scores stage scored with, as its <c>latent_stages.result_json</c> records them
/// (under <see cref="ResultField"/>), so a report can say what it measures and warn when the weights were fitted on the
/// very noise it is scored against.</summary>
/// <param name="RunId">The run the weights were fitted on; null for weights not fitted by <c>label-noise fit</c>.</param>
/// <param name="Manifests">The manifests whose planted errors were the fit's positives.</param>
public sealed record LabelWeightsUsed(string Description, long? RunId, IReadOnlyList<LabelNoiseSource> Manifests)
{
    /// <summary>The result_json property that holds it.</summary>
    public const string ResultField = "weights";

    public static LabelWeightsUsed Of(LabelErrorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var provenance = weights.Provenance;
        return new LabelWeightsUsed(provenance.Description, provenance.RunId, provenance.Manifests);
    }
}
