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

/// <summary>A paragraph's context with its questions, in file order.</summary>
public sealed record SquadParagraph(string Context, IReadOnlyList<SquadExample> Questions)
{
    /// <summary>The context, then each question: every text of the paragraph a tokenizer sees.</summary>
    public IEnumerable<string> Texts => Questions.Select(question => question.Question).Prepend(Context);

    /// <summary>Groups examples by the paragraph of their <see cref="SquadExample.Location"/>, in order of first appearance.</summary>
    public static IReadOnlyList<SquadParagraph> Group(IEnumerable<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return [.. examples
            .GroupBy(example => (example.Location.ArticleIndex, example.Location.ParagraphIndex))
            .Select(paragraph => new SquadParagraph(paragraph.First().Context, [.. paragraph]))];
    }
}
