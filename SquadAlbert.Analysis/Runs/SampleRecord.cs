namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// One question of a run as stored in the <c>samples</c> table (one property per column, same names in snake case).
/// "Loss window": the window whose gold positions the loss is computed on (see <see cref="SampleAnalyzer"/>);
/// "first gold": the first gold answer, the one the model was trained on; "best gold": the gold answer the prediction
/// scores best against (<see cref="Metrics.AnswerScore.BestGoldIndex"/>).
/// </summary>
public sealed record SampleRecord
{
    public required int SampleIndex { get; init; }
    public required string ExampleId { get; init; }
    public required string Split { get; init; }
    public required string Title { get; init; }
    public required string Question { get; init; }
    public required string Context { get; init; }
    /// <summary>JSON array of <c>{"text", "start"}</c>, start in UTF-16 code units of <see cref="Context"/>.</summary>
    public required string GoldAnswersJson { get; init; }
    public required string Prediction { get; init; }
    /// <summary>Character span of the prediction in the original context (end exclusive); 0, 0 when empty.</summary>
    public required int PredictionStart { get; init; }
    public required int PredictionEnd { get; init; }
    /// <summary>Start logit + end logit of the answer.</summary>
    public required double PredictionScore { get; init; }
    /// <summary>Softmax of the score over the n-best list.</summary>
    public required double PredictionProbability { get; init; }
    /// <summary>False for an unanswerable SQuAD 2.0 question (no gold answer).</summary>
    public required bool Answerable { get; init; }
    /// <summary>[CLS] start + end logit, the minimum over the question's windows (computed on every run).</summary>
    public required double NullScore { get; init; }
    /// <summary>Null score − the best span's score (Hugging Face's null odds; the answer is "" when it exceeds the run's
    /// null threshold); null when no valid span exists.</summary>
    public required double? NullScoreDiff { get; init; }
    /// <summary>Softmax weight of the null score against the n-best spans' scores, in [0, 1].</summary>
    public required double NoAnswerProbability { get; init; }
    /// <summary>The reader gave no answer (<see cref="Prediction"/> is ""); then prediction_score is the null score,
    /// prediction_probability the no-answer probability, and the declined best span is n-best entry 0.</summary>
    public required bool PredictedNoAnswer { get; init; }
    /// <summary>Official exact match and F1 of the best span (n-best entry 0, "" when none) whatever the threshold: what
    /// the question scores when the reader answers it, so a threshold can be re-applied without the model.</summary>
    public required bool SpanExactMatch { get; init; }
    public required double SpanF1 { get; init; }
    /// <summary>One of <see cref="SampleOutcomes.All"/>.</summary>
    public required string Outcome { get; init; }
    /// <summary>Softmax over all tokens of the answer's window, at its start (end) token; 0 when no answer.</summary>
    public required double StartProbability { get; init; }
    public required double EndProbability { get; init; }
    /// <summary>The n-best list as JSON, best first (<see cref="NBestEntry"/>).</summary>
    public required string NBestJson { get; init; }
    public required int WindowCount { get; init; }
    /// <summary>JSON array, one <c>[start, end]</c> token pair per window; [0, 0] where the first gold is not inside.</summary>
    public required string GoldPositionsJson { get; init; }
    public required int LossWindow { get; init; }
    /// <summary>True when no window holds the first gold, so the loss targets [CLS] as Hugging Face training does.</summary>
    public required bool LossOnCls { get; init; }
    public required double LossStart { get; init; }
    public required double LossEnd { get; init; }
    /// <summary>(start + end) / 2, the training loss.</summary>
    public required double Loss { get; init; }
    /// <summary>Official exact match and F1 of <see cref="Prediction"/> (evaluate-v2.0.py's in a SQuAD 2.0 run: 1 for an
    /// abstention on an unanswerable question).</summary>
    public required bool ExactMatch { get; init; }
    public required double F1 { get; init; }
    /// <summary>0 when the question has no gold answer.</summary>
    public required int BestGoldIndex { get; init; }
    /// <summary>Reference token metrics over context tokens: prediction vs first gold (see <see cref="SampleAnalyzer"/>).</summary>
    public required bool TokenExactMatch { get; init; }
    public required double TokenF1 { get; init; }
    public required double TokenIou { get; init; }
    public required string QuestionType { get; init; }
    public required string? QuestionWhWord { get; init; }
    public required string QuestionFirstWords { get; init; }
    /// <summary>Type of the first gold answer.</summary>
    public required string AnswerType { get; init; }
    public required int QuestionTokens { get; init; }
    public required int QuestionWords { get; init; }
    public required int ContextTokens { get; init; }
    public required int ContextWords { get; init; }
    /// <summary>Context tokens the first gold answer touches, and its whitespace words.</summary>
    public required int AnswerTokens { get; init; }
    public required int AnswerWords { get; init; }
    /// <summary>Centre of the first gold answer divided by the context length, in [0, 1].</summary>
    public required double AnswerPosition { get; init; }
    public required bool IsMultiWindow { get; init; }
    public required bool IsQuestionTruncated { get; init; }
    public required double? ContextFlesch { get; init; }
    public required double? ContextFkGrade { get; init; }
    public required double? QuestionFlesch { get; init; }
    public required double? QuestionFkGrade { get; init; }
    public required bool PredictionHasQuotes { get; init; }
    public required bool PredictionHasBrackets { get; init; }
    /// <summary>Marks in the best gold answer.</summary>
    public required bool GoldHasQuotes { get; init; }
    public required bool GoldHasBrackets { get; init; }
    /// <summary>Prediction vs best gold: "exact", "normalization only", "overlap", "disjoint".</summary>
    public required string Relation { get; init; }
    public required int? RelationCharDistance { get; init; }
    /// <summary>context_mean_embedding and cls_embedding of the loss window; null when the model has none.</summary>
    public required float[]? ContextMeanEmbedding { get; init; }
    public required float[]? ClsEmbedding { get; init; }
}
