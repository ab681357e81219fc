namespace SquadAlbert.Analysis.Data;

/// <summary>What is wrong with one part of a SQuAD file.</summary>
public enum SquadProblemKind
{
    /// <summary>A required key (title, paragraphs, context, qas, id, question, answers, text, answer_start) is absent.</summary>
    MissingKey,

    /// <summary>A value has the wrong JSON type, e.g. <c>"answer_start": "515"</c>.</summary>
    WrongType,

    /// <summary>A string that must carry text is empty or only whitespace.</summary>
    EmptyValue,

    /// <summary>The same key appears twice in one object; JSON readers disagree on which one wins.</summary>
    DuplicateKey,

    /// <summary>A question id was already used by an earlier question.</summary>
    DuplicateId,

    /// <summary>The answer text is not found in the context at <c>answer_start</c> (or the offset is out of range).</summary>
    AnswerMismatch,

    /// <summary><c>is_impossible</c> is true but the question has answers.</summary>
    ImpossibleWithAnswers,

    /// <summary>The question is answerable (no <c>is_impossible</c>, or false) but has no answers.</summary>
    AnswerableWithoutAnswers,
}

/// <summary>
/// A place in a JSON file. <see cref="Line"/> and <see cref="Column"/> are 1-based and the column counts bytes,
/// because official SQuAD files are one single line and the byte offset is what a hex viewer or <c>dd</c> needs.
/// </summary>
public readonly record struct JsonPosition(int Line, int Column, long ByteOffset)
{
    public override string ToString() => $"line {Line}, column {Column} (byte {ByteOffset})";
}

/// <summary>
/// One validation problem. Indices are 0-based in file order and null above the level they apply to
/// (a paragraph problem has no question index). <see cref="Field"/> is the JSON key path inside that
/// level, e.g. <c>answers[1].answer_start</c>.
/// </summary>
public sealed record SquadProblem(
    SquadProblemKind Kind,
    string Field,
    string Message,
    int? ArticleIndex,
    int? ParagraphIndex,
    int? QuestionIndex,
    string? QuestionId,
    JsonPosition Position)
{
    public override string ToString()
    {
        var where = ArticleIndex is null ? "file" : $"article {ArticleIndex}";
        if (ParagraphIndex is not null)
        {
            where += $", paragraph {ParagraphIndex}";
        }
        if (QuestionIndex is not null)
        {
            where += $", question {QuestionIndex}";
        }
        if (QuestionId is not null)
        {
            where += $" (id '{QuestionId}')";
        }
        return $"{where}, field '{Field}', {Position}: {Kind}: {Message}";
    }
}

/// <summary>
/// Outcome of checking a SQuAD file. A question is kept only when it, its paragraph and its article are free
/// of problems; <see cref="QuestionsRejected"/> counts the ones left out.
/// </summary>
public sealed record SquadValidationReport(IReadOnlyList<SquadProblem> Problems, int QuestionsRead, int QuestionsRejected)
{
    public bool IsClean => Problems.Count == 0;
}

/// <summary>
/// A loaded SQuAD file. <see cref="ArticleCount"/> and <see cref="ParagraphCount"/> count what the file holds,
/// including parts whose questions were rejected; <see cref="Examples"/> holds only the good questions, in file order.
/// </summary>
public sealed record SquadDataset(
    string SourcePath,
    string? Version,
    int ArticleCount,
    int ParagraphCount,
    IReadOnlyList<SquadExample> Examples,
    SquadValidationReport Validation)
{
    /// <summary>The file name without folder, for messages and split descriptions.</summary>
    public string FileName => Path.GetFileName(SourcePath);

    /// <summary>
    /// SQuAD 2.0: the version string is "v2.0" or "2.0" (or any "2.x"), or a question carries <c>is_impossible: true</c>.
    /// Such files may have unanswerable questions; readers may abstain on them (the null answer, <c>""</c>) and they are
    /// scored with evaluate-v2.0.py's metrics. The one place that tells the two versions apart.
    /// </summary>
    public bool IsVersion2 => IsVersion2String(Version) || Examples.Any(e => e.IsImpossible);

    /// <summary>"SQuAD 2.0" or "SQuAD 1.1" for messages.</summary>
    public string VersionName => IsVersion2 ? "SQuAD 2.0" : "SQuAD 1.1";

    private static bool IsVersion2String(string? version) =>
        version is not null && version.TrimStart('v', 'V') is var number && (number == "2" || number.StartsWith("2.", StringComparison.Ordinal));

    /// <summary>
    /// One line for commands that go on with the kept questions: how many questions validation left out and the
    /// first problem (<c>validate</c> lists them all). Null when the file has no problems.
    /// </summary>
    public string? ValidationWarning => Validation.IsClean
        ? null
        : $"SQuAD file '{SourcePath}': {Validation.QuestionsRejected} of {Validation.QuestionsRead} questions rejected, " +
          $"{Validation.Problems.Count} problem(s) (run 'squad-albert validate' for all); first: {Validation.Problems[0]}";
}
