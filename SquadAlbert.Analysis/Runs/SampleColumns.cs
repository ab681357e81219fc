namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// The columns of <c>samples</c>, named once for the writer (<see cref="RunStore.WriteBatch"/>) and every reader
/// (<see cref="RunStore"/>: the pages' <see cref="Review.RunSample"/> rows, the map's <see cref="Exploration.MapPoints"/>, slices and
/// comparisons; <see cref="Latent.LatentStore"/>) and the map's fields (<see cref="Exploration.MapFields"/>); readers select these
/// names and read their rows by name. The label-error columns are <see cref="Latent.LabelScoreColumns"/>. A new field: a migration in
/// <see cref="Storage.AppSchema"/>, a property of <see cref="SampleRecord"/>, a constant and a <see cref="Written"/> entry here,
/// then the readers that show it select it.
/// </summary>
public static class SampleColumns
{
    public const string RunId = "run_id";
    public const string SampleIndex = "sample_index";
    public const string ExampleId = "example_id";
    public const string Split = "split";
    public const string Title = "title";
    public const string Question = "question";
    public const string Context = "context";
    public const string GoldAnswersJson = "gold_answers_json";
    public const string Prediction = "prediction";
    public const string PredictionStart = "prediction_start";
    public const string PredictionEnd = "prediction_end";
    public const string PredictionScore = "prediction_score";
    public const string PredictionProbability = "prediction_probability";
    public const string StartProbability = "start_probability";
    public const string EndProbability = "end_probability";
    public const string NBestJson = "nbest_json";
    public const string WindowCount = "window_count";
    public const string GoldPositionsJson = "gold_positions_json";
    public const string LossWindow = "loss_window";
    public const string LossOnCls = "loss_on_cls";
    public const string LossStart = "loss_start";
    public const string LossEnd = "loss_end";
    public const string Loss = "loss";
    public const string ExactMatch = "exact_match";
    public const string F1 = "f1";
    public const string BestGoldIndex = "best_gold_index";
    public const string TokenExactMatch = "token_exact_match";
    public const string TokenF1 = "token_f1";
    public const string TokenIou = "token_iou";
    public const string QuestionType = "question_type";
    public const string QuestionWhWord = "question_wh_word";
    public const string QuestionFirstWords = "question_first_words";
    public const string AnswerType = "answer_type";
    public const string QuestionTokens = "question_tokens";
    public const string QuestionWords = "question_words";
    public const string ContextTokens = "context_tokens";
    public const string ContextWords = "context_words";
    public const string AnswerTokens = "answer_tokens";
    public const string AnswerWords = "answer_words";
    public const string AnswerPosition = "answer_position";
    public const string IsMultiWindow = "is_multi_window";
    public const string IsQuestionTruncated = "is_question_truncated";
    public const string ContextFlesch = "context_flesch";
    public const string ContextFkGrade = "context_fk_grade";
    public const string QuestionFlesch = "question_flesch";
    public const string QuestionFkGrade = "question_fk_grade";
    public const string PredictionHasQuotes = "prediction_has_quotes";
    public const string PredictionHasBrackets = "prediction_has_brackets";
    public const string GoldHasQuotes = "gold_has_quotes";
    public const string GoldHasBrackets = "gold_has_brackets";
    public const string Relation = "relation";
    public const string RelationCharDistance = "relation_char_distance";

    // SQuAD 2.0 (migration 8); see SampleRecord.
    public const string Answerable = "answerable";
    public const string NullScore = "null_score";
    public const string NullScoreDiff = "null_score_diff";
    public const string NoAnswerProbability = "no_answer_probability";
    public const string PredictedNoAnswer = "predicted_no_answer";
    public const string SpanExactMatch = "span_exact_match";
    public const string SpanF1 = "span_f1";
    public const string Outcome = "outcome";

    // Written by the latent stages (LatentStore), NULL until they ran.
    public const string UmapX = "umap_x";
    public const string UmapY = "umap_y";
    public const string PcaX = "pca_x";
    public const string PcaY = "pca_y";
    /// <summary>The k-means cluster.</summary>
    public const string Cluster = "cluster";
    public const string HdbscanCluster = "hdbscan_cluster";

    /// <summary>The columns a <see cref="SampleRecord"/> fills (every one but <see cref="RunId"/> and the latent ones), with how
    /// each is read off it.</summary>
    internal static IReadOnlyList<(string Column, Func<SampleRecord, object?> Value)> Written { get; } =
    [
        (SampleIndex, s => s.SampleIndex),
        (ExampleId, s => s.ExampleId),
        (Split, s => s.Split),
        (Title, s => s.Title),
        (Question, s => s.Question),
        (Context, s => s.Context),
        (GoldAnswersJson, s => s.GoldAnswersJson),
        (Prediction, s => s.Prediction),
        (PredictionStart, s => s.PredictionStart),
        (PredictionEnd, s => s.PredictionEnd),
        (PredictionScore, s => s.PredictionScore),
        (PredictionProbability, s => s.PredictionProbability),
        (StartProbability, s => s.StartProbability),
        (EndProbability, s => s.EndProbability),
        (NBestJson, s => s.NBestJson),
        (WindowCount, s => s.WindowCount),
        (GoldPositionsJson, s => s.GoldPositionsJson),
        (LossWindow, s => s.LossWindow),
        (LossOnCls, s => s.LossOnCls),
        (LossStart, s => s.LossStart),
        (LossEnd, s => s.LossEnd),
        (Loss, s => s.Loss),
        (ExactMatch, s => s.ExactMatch),
        (F1, s => s.F1),
        (BestGoldIndex, s => s.BestGoldIndex),
        (TokenExactMatch, s => s.TokenExactMatch),
        (TokenF1, s => s.TokenF1),
        (TokenIou, s => s.TokenIou),
        (QuestionType, s => s.QuestionType),
        (QuestionWhWord, s => s.QuestionWhWord),
        (QuestionFirstWords, s => s.QuestionFirstWords),
        (AnswerType, s => s.AnswerType),
        (QuestionTokens, s => s.QuestionTokens),
        (QuestionWords, s => s.QuestionWords),
        (ContextTokens, s => s.ContextTokens),
        (ContextWords, s => s.ContextWords),
        (AnswerTokens, s => s.AnswerTokens),
        (AnswerWords, s => s.AnswerWords),
        (AnswerPosition, s => s.AnswerPosition),
        (IsMultiWindow, s => s.IsMultiWindow),
        (IsQuestionTruncated, s => s.IsQuestionTruncated),
        (ContextFlesch, s => s.ContextFlesch),
        (ContextFkGrade, s => s.ContextFkGrade),
        (QuestionFlesch, s => s.QuestionFlesch),
        (QuestionFkGrade, s => s.QuestionFkGrade),
        (PredictionHasQuotes, s => s.PredictionHasQuotes),
        (PredictionHasBrackets, s => s.PredictionHasBrackets),
        (GoldHasQuotes, s => s.GoldHasQuotes),
        (GoldHasBrackets, s => s.GoldHasBrackets),
        (Relation, s => s.Relation),
        (RelationCharDistance, s => s.RelationCharDistance),
        (Answerable, s => s.Answerable),
        (NullScore, s => s.NullScore),
        (NullScoreDiff, s => s.NullScoreDiff),
        (NoAnswerProbability, s => s.NoAnswerProbability),
        (PredictedNoAnswer, s => s.PredictedNoAnswer),
        (SpanExactMatch, s => s.SpanExactMatch),
        (SpanF1, s => s.SpanF1),
        (Outcome, s => s.Outcome),
    ];

    /// <summary>A select list of <paramref name="columns"/>.</summary>
    public static string List(params IEnumerable<string> columns) => string.Join(", ", columns);
}
