namespace SquadAlbert.Analysis.Data;

/// <summary>One gold answer: its text and the character offset of that text in the original context.</summary>
public sealed record SquadAnswer(string Text, int AnswerStart)
{
    /// <summary>Exclusive end offset in the original context.</summary>
    public int AnswerEnd => AnswerStart + Text.Length;
}

/// <summary>
/// Where a question sits in its source file, so problems and exports can point back to it.
/// Indices are 0-based in file order.
/// </summary>
public sealed record SquadLocation(int ArticleIndex, int ParagraphIndex, int QuestionIndex);

/// <summary>
/// One SQuAD question with its paragraph. Context and question are the original strings, untouched:
/// every character offset in the system (answers, token spans, predictions) points into them.
/// </summary>
public sealed record SquadExample(
    string Id,
    string Title,
    string Context,
    string Question,
    IReadOnlyList<SquadAnswer> Answers,
    bool IsImpossible,
    SquadLocation Location);
