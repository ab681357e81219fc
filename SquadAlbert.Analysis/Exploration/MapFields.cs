using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.WhatIf.Probes;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>Whether a field's values are categories (legend, equality filters) or numbers (colour bar, range filters).</summary>
public enum MapFieldKind
{
    Categorical,
    Numeric,
}

/// <summary>One column of <c>samples</c> the population map can colour, size or filter by.</summary>
/// <param name="Name">The column name (a <see cref="SampleColumns"/> or <see cref="LabelScoreColumns"/> constant); also the name
/// used in URLs and filters.</param>
/// <param name="Label">What the dashboard shows.</param>
/// <param name="IsBoolean">A 0/1 column, shown as "yes"/"no".</param>
public sealed record MapField(string Name, string Label, MapFieldKind Kind, bool IsBoolean = false)
{
    public bool IsCategorical => Kind == MapFieldKind.Categorical;

    /// <summary>The SQL expression over a <c>samples</c> row of the run bound as <c>$run</c> that the map reads as
    /// <see cref="Name"/>, for a field that is not a column of <c>samples</c> (a probe's outcome); null for a column.</summary>
    public string? Expression { get; init; }

    /// <summary>What the map's query selects: the column, or the expression named <see cref="Name"/>.</summary>
    public string Select => Expression is null ? Name : $"{Expression} AS {Name}";
}

/// <summary>
/// The catalogue of map fields: which <c>samples</c> columns are categorical and which numeric. One place, so the
/// SQL query, the URL parser and the pickers agree.
/// </summary>
public static class MapFields
{
    public const string Yes = "yes";
    public const string No = "no";

    /// <summary>Shown for a categorical value that is NULL (e.g. the cluster of a run not yet clustered).</summary>
    public const string Missing = "(none)";

    public static IReadOnlyList<MapField> All { get; } =
    [
        new(SampleColumns.Split, "Split", MapFieldKind.Categorical),
        new(SampleColumns.Title, "Article title", MapFieldKind.Categorical),
        new(SampleColumns.Cluster, "Cluster (k-means)", MapFieldKind.Categorical),
        new(SampleColumns.HdbscanCluster, "Cluster (HDBSCAN)", MapFieldKind.Categorical),
        new(SampleColumns.QuestionType, "Question type", MapFieldKind.Categorical),
        new(SampleColumns.QuestionWhWord, "Wh-word", MapFieldKind.Categorical),
        new(SampleColumns.AnswerType, "Answer type", MapFieldKind.Categorical),
        new(SampleColumns.Relation, "Prediction vs gold", MapFieldKind.Categorical),
        new(LabelScoreColumns.Kind, "Label kind", MapFieldKind.Categorical),
        new(SampleColumns.Outcome, "Outcome (answer right/wrong, abstention)", MapFieldKind.Categorical),
        new(SampleColumns.Answerable, "Answerable", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.PredictedNoAnswer, "Reader abstained", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.ExactMatch, "Exact match", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.TokenExactMatch, "Token exact match", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.IsMultiWindow, "Multi-window context", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.IsQuestionTruncated, "Question truncated", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.LossOnCls, "Gold outside every window", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.PredictionHasQuotes, "Prediction has quotes", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.PredictionHasBrackets, "Prediction has brackets", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.GoldHasQuotes, "Gold has quotes", MapFieldKind.Categorical, IsBoolean: true),
        new(SampleColumns.GoldHasBrackets, "Gold has brackets", MapFieldKind.Categorical, IsBoolean: true),
        .. ProbeKinds.All.Select(ProbeField),
        new(SampleColumns.F1, "F1", MapFieldKind.Numeric),
        new(SampleColumns.Loss, "Loss", MapFieldKind.Numeric),
        new(SampleColumns.LossStart, "Loss (start)", MapFieldKind.Numeric),
        new(SampleColumns.LossEnd, "Loss (end)", MapFieldKind.Numeric),
        new(SampleColumns.PredictionProbability, "Prediction probability", MapFieldKind.Numeric),
        new(SampleColumns.PredictionScore, "Prediction score", MapFieldKind.Numeric),
        new(SampleColumns.NullScore, "Null score ([CLS])", MapFieldKind.Numeric),
        new(SampleColumns.NullScoreDiff, "Null score − best span score", MapFieldKind.Numeric),
        new(SampleColumns.NoAnswerProbability, "No-answer probability", MapFieldKind.Numeric),
        new(SampleColumns.SpanF1, "Best span F1", MapFieldKind.Numeric),
        new(SampleColumns.StartProbability, "Start probability", MapFieldKind.Numeric),
        new(SampleColumns.EndProbability, "End probability", MapFieldKind.Numeric),
        new(SampleColumns.TokenF1, "Token F1", MapFieldKind.Numeric),
        new(SampleColumns.TokenIou, "Token IoU", MapFieldKind.Numeric),
        new(LabelScoreColumns.ErrorScore, "Label-error score", MapFieldKind.Numeric),
        new(LabelScoreColumns.GoldProbability, "Gold probability", MapFieldKind.Numeric),
        new(LabelScoreColumns.DisjointConfidence, "Disjoint confidence", MapFieldKind.Numeric),
        new(LabelScoreColumns.GoldDisagreement, "Gold disagreement", MapFieldKind.Numeric),
        new(LabelScoreColumns.AnswerOccurrences, "Answer occurrences", MapFieldKind.Numeric),
        new(LabelScoreColumns.GoldSpanMass, "N-best mass on gold", MapFieldKind.Numeric),
        new(LabelScoreColumns.GoldNBestRank, "Gold rank in n-best", MapFieldKind.Numeric),
        new(LabelScoreColumns.AnswerTypeMismatch, "Answer-type mismatch", MapFieldKind.Numeric),
        new(LabelScoreColumns.NeighbourTypeDisagreement, "Neighbours' answer types differ", MapFieldKind.Numeric),
        new(LabelScoreColumns.OutlierAnnotator, "Outlier annotator", MapFieldKind.Numeric),
        new(SampleColumns.AnswerPosition, "Answer position", MapFieldKind.Numeric),
        new(SampleColumns.QuestionTokens, "Question tokens", MapFieldKind.Numeric),
        new(SampleColumns.QuestionWords, "Question words", MapFieldKind.Numeric),
        new(SampleColumns.ContextTokens, "Context tokens", MapFieldKind.Numeric),
        new(SampleColumns.ContextWords, "Context words", MapFieldKind.Numeric),
        new(SampleColumns.AnswerTokens, "Answer tokens", MapFieldKind.Numeric),
        new(SampleColumns.AnswerWords, "Answer words", MapFieldKind.Numeric),
        new(SampleColumns.WindowCount, "Windows", MapFieldKind.Numeric),
        new(SampleColumns.RelationCharDistance, "Prediction–gold distance (chars)", MapFieldKind.Numeric),
        new(SampleColumns.ContextFlesch, "Context Flesch ease", MapFieldKind.Numeric),
        new(SampleColumns.ContextFkGrade, "Context FK grade", MapFieldKind.Numeric),
        new(SampleColumns.QuestionFlesch, "Question Flesch ease", MapFieldKind.Numeric),
        new(SampleColumns.QuestionFkGrade, "Question FK grade", MapFieldKind.Numeric),
    ];

    /// <summary>The map field of a probe's outcome in the latest finished probe run of that kind: "yes" (flipped), "no",
    /// "not applicable" or "not probed" (<see cref="ProbeStore.MapFlipExpression"/>).</summary>
    public static MapField Probe(ProbeKind kind) => ByName[ProbeFieldName(kind)];

    private static string ProbeFieldName(ProbeKind kind) => "probe_" + kind.Label().Replace('-', '_');

    private static MapField ProbeField(ProbeKind kind) =>
        new(ProbeFieldName(kind), $"Flips under {kind.Title().ToLowerInvariant()}", MapFieldKind.Categorical) { Expression = ProbeStore.MapFlipExpression(kind) };

    public static IEnumerable<MapField> Categorical => All.Where(f => f.Kind == MapFieldKind.Categorical);

    public static IEnumerable<MapField> Numeric => All.Where(f => f.Kind == MapFieldKind.Numeric);

    private static readonly Dictionary<string, MapField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static MapField? Find(string? name) => name is not null && ByName.TryGetValue(name, out var field) ? field : null;

    /// <summary>The field called <paramref name="name"/>, or an <see cref="InputException"/> naming the known fields.</summary>
    public static MapField Get(string name) =>
        Find(name) ?? throw new InputException($"unknown map field '{name}'; known fields: {string.Join(", ", All.Select(f => f.Name))}");
}
