namespace SquadAlbert.Analysis.Exploration;

/// <summary>Whether a field's values are categories (legend, equality filters) or numbers (colour bar, range filters).</summary>
public enum MapFieldKind
{
    Categorical,
    Numeric,
}

/// <summary>One column of <c>samples</c> the population map can colour, size or filter by.</summary>
/// <param name="Name">The column name; also the name used in URLs and filters.</param>
/// <param name="Label">What the dashboard shows.</param>
/// <param name="IsBoolean">A 0/1 column, shown as "yes"/"no".</param>
public sealed record MapField(string Name, string Label, MapFieldKind Kind, bool IsBoolean = false)
{
    public bool IsCategorical => Kind == MapFieldKind.Categorical;
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
        new("split", "Split", MapFieldKind.Categorical),
        new("title", "Article title", MapFieldKind.Categorical),
        new("cluster", "Cluster (k-means)", MapFieldKind.Categorical),
        new("hdbscan_cluster", "Cluster (HDBSCAN)", MapFieldKind.Categorical),
        new("question_type", "Question type", MapFieldKind.Categorical),
        new("question_wh_word", "Wh-word", MapFieldKind.Categorical),
        new("answer_type", "Answer type", MapFieldKind.Categorical),
        new("relation", "Prediction vs gold", MapFieldKind.Categorical),
        new("label_kind", "Label kind", MapFieldKind.Categorical),
        new("outcome", "Outcome (answer right/wrong, abstention)", MapFieldKind.Categorical),
        new("answerable", "Answerable", MapFieldKind.Categorical, IsBoolean: true),
        new("predicted_no_answer", "Reader abstained", MapFieldKind.Categorical, IsBoolean: true),
        new("exact_match", "Exact match", MapFieldKind.Categorical, IsBoolean: true),
        new("token_exact_match", "Token exact match", MapFieldKind.Categorical, IsBoolean: true),
        new("is_multi_window", "Multi-window context", MapFieldKind.Categorical, IsBoolean: true),
        new("is_question_truncated", "Question truncated", MapFieldKind.Categorical, IsBoolean: true),
        new("loss_on_cls", "Gold outside every window", MapFieldKind.Categorical, IsBoolean: true),
        new("prediction_has_quotes", "Prediction has quotes", MapFieldKind.Categorical, IsBoolean: true),
        new("prediction_has_brackets", "Prediction has brackets", MapFieldKind.Categorical, IsBoolean: true),
        new("gold_has_quotes", "Gold has quotes", MapFieldKind.Categorical, IsBoolean: true),
        new("gold_has_brackets", "Gold has brackets", MapFieldKind.Categorical, IsBoolean: true),
        new("f1", "F1", MapFieldKind.Numeric),
        new("loss", "Loss", MapFieldKind.Numeric),
        new("loss_start", "Loss (start)", MapFieldKind.Numeric),
        new("loss_end", "Loss (end)", MapFieldKind.Numeric),
        new("prediction_probability", "Prediction probability", MapFieldKind.Numeric),
        new("prediction_score", "Prediction score", MapFieldKind.Numeric),
        new("null_score", "Null score ([CLS])", MapFieldKind.Numeric),
        new("null_score_diff", "Null score − best span score", MapFieldKind.Numeric),
        new("no_answer_probability", "No-answer probability", MapFieldKind.Numeric),
        new("span_f1", "Best span F1", MapFieldKind.Numeric),
        new("start_probability", "Start probability", MapFieldKind.Numeric),
        new("end_probability", "End probability", MapFieldKind.Numeric),
        new("token_f1", "Token F1", MapFieldKind.Numeric),
        new("token_iou", "Token IoU", MapFieldKind.Numeric),
        new("label_error_score", "Label-error score", MapFieldKind.Numeric),
        new("label_gold_probability", "Gold probability", MapFieldKind.Numeric),
        new("label_disjoint_confidence", "Disjoint confidence", MapFieldKind.Numeric),
        new("label_gold_disagreement", "Gold disagreement", MapFieldKind.Numeric),
        new("label_answer_occurrences", "Answer occurrences", MapFieldKind.Numeric),
        new("label_gold_span_mass", "N-best mass on gold", MapFieldKind.Numeric),
        new("label_gold_nbest_rank", "Gold rank in n-best", MapFieldKind.Numeric),
        new("label_answer_type_mismatch", "Answer-type mismatch", MapFieldKind.Numeric),
        new("label_neighbour_type_disagreement", "Neighbours' answer types differ", MapFieldKind.Numeric),
        new("label_outlier_annotator", "Outlier annotator", MapFieldKind.Numeric),
        new("answer_position", "Answer position", MapFieldKind.Numeric),
        new("question_tokens", "Question tokens", MapFieldKind.Numeric),
        new("question_words", "Question words", MapFieldKind.Numeric),
        new("context_tokens", "Context tokens", MapFieldKind.Numeric),
        new("context_words", "Context words", MapFieldKind.Numeric),
        new("answer_tokens", "Answer tokens", MapFieldKind.Numeric),
        new("answer_words", "Answer words", MapFieldKind.Numeric),
        new("window_count", "Windows", MapFieldKind.Numeric),
        new("relation_char_distance", "Prediction–gold distance (chars)", MapFieldKind.Numeric),
        new("context_flesch", "Context Flesch ease", MapFieldKind.Numeric),
        new("context_fk_grade", "Context FK grade", MapFieldKind.Numeric),
        new("question_flesch", "Question Flesch ease", MapFieldKind.Numeric),
        new("question_fk_grade", "Question FK grade", MapFieldKind.Numeric),
    ];

    public static IEnumerable<MapField> Categorical => All.Where(f => f.Kind == MapFieldKind.Categorical);

    public static IEnumerable<MapField> Numeric => All.Where(f => f.Kind == MapFieldKind.Numeric);

    private static readonly Dictionary<string, MapField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static MapField? Find(string? name) => name is not null && ByName.TryGetValue(name, out var field) ? field : null;

    /// <summary>The field called <paramref name="name"/>, or an <see cref="InputException"/> naming the known fields.</summary>
    public static MapField Get(string name) =>
        Find(name) ?? throw new InputException($"unknown map field '{name}'; known fields: {string.Join(", ", All.Select(f => f.Name))}");
}
