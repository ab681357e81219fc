using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>Why a SQuAD 2.0 sample's answerability label may be wrong.</summary>
public enum AnswerabilitySuspicion
{
    None,
    /// <summary>Marked unanswerable, but the reader's best span is confident and of the type the question asks for.</summary>
    UnanswerableButConfidentTypedAnswer,
    /// <summary>Marked answerable, but the reader is confident there is no answer and the gold is not of the type the
    /// question asks for (or the question asks for no particular type).</summary>
    AnswerableButConfidentAbstention,
}

/// <summary>
/// The label review's answerability checks, from stored fields only (<c>answerable</c>, <c>no_answer_probability</c>,
/// the best span of <c>nbest_json</c>, the gold texts, the question): "marked unanswerable but the reader finds a
/// confident answer whose text matches the question type", and the reverse. A question type with an expectation
/// (<see cref="AnswerTypeExpectation.Expected"/>: when, what year, how many, how much, who, whom, whose, where) is needed
/// for the first; "what" and the like never raise it, since any text fits them.
/// </summary>
public static class AnswerabilityCheck
{
    /// <summary>How sure the reader must be: no-answer probability at most 1 − this for an answer, at least this for an abstention.</summary>
    public const double DefaultConfidence = 0.8;

    public static AnswerabilitySuspicion Of(
        string question, bool answerable, IReadOnlyList<string> goldTexts, string bestSpanText, double noAnswerProbability, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(goldTexts);
        ArgumentNullException.ThrowIfNull(bestSpanText);
        var expected = AnswerTypeExpectation.Expected(QuestionClassifier.Classify(question).Type);
        if (!answerable)
        {
            return bestSpanText.Length > 0 && noAnswerProbability <= 1 - confidence && expected is not null
                   && expected.Contains(AnswerTypeClassifier.Classify(bestSpanText))
                ? AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer
                : AnswerabilitySuspicion.None;
        }
        return noAnswerProbability >= confidence && (expected is null || AnswerTypeExpectation.Mismatch(question, goldTexts) > 0)
            ? AnswerabilitySuspicion.AnswerableButConfidentAbstention
            : AnswerabilitySuspicion.None;
    }
}
