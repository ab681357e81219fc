namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// What happened to a question, as stored in <c>samples.outcome</c>: whether it has an answer (SQuAD 2.0 questions may
/// not), whether the reader answered, and whether the answer was right (official exact match).
/// <list type="bullet">
/// <item><see cref="AnswerRight"/>: answerable, answered, exact match.</item>
/// <item><see cref="AnswerWrong"/>: answerable, answered, no exact match.</item>
/// <item><see cref="WrongAbstention"/>: answerable, but the reader gave no answer.</item>
/// <item><see cref="FalseAnswer"/>: unanswerable, but the reader answered.</item>
/// <item><see cref="RightAbstention"/>: unanswerable and the reader gave no answer.</item>
/// </list>
/// </summary>
public static class SampleOutcomes
{
    public const string AnswerRight = "answer right";
    public const string AnswerWrong = "answer wrong";
    public const string WrongAbstention = "wrong abstention";
    public const string FalseAnswer = "false answer";
    public const string RightAbstention = "right abstention";

    /// <summary>The <c>answer_type</c> of an unanswerable question.</summary>
    public const string NoAnswerType = "no answer";

    /// <summary>Every outcome, in the order a legend lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [AnswerRight, AnswerWrong, WrongAbstention, FalseAnswer, RightAbstention];

    public static string Of(bool answerable, bool predictedNoAnswer, bool exactMatch) => (answerable, predictedNoAnswer) switch
    {
        (true, false) => exactMatch ? AnswerRight : AnswerWrong,
        (true, true) => WrongAbstention,
        (false, false) => FalseAnswer,
        (false, true) => RightAbstention,
    };
}
