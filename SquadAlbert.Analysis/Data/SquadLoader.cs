using System.Text.Json;

namespace SquadAlbert.Analysis.Data;

/// <summary>
/// Reads SQuAD v1.1 and v2.0 JSON in one forward pass over the file bytes. Problems inside the data become a
/// <see cref="SquadValidationReport"/> and every good question is kept; a file that is not SQuAD at all
/// (missing, empty, not JSON, truncated, wrong top-level shape) fails with one <see cref="InputException"/>.
/// So does text that is not Unicode: a byte that is not UTF-8, or a <c>\uD800</c>–<c>\uDFFF</c> escape that is not half
/// of a surrogate pair in a key or a string the loader reads (the message names the byte and the JSON path). Strings
/// of unknown keys are skipped undecoded, so a lone surrogate there is left alone, as the exporter leaves it.
/// </summary>
/// <remarks>
/// SQuAD's <c>answer_start</c> counts Unicode code points (Python string indices). .NET strings index UTF-16
/// code units, so <see cref="SquadAnswer.AnswerStart"/> is converted: it differs only where the context has
/// characters outside the Basic Multilingual Plane before the answer (8 answers of train-v1.1).
/// </remarks>
public static class SquadLoader
{
    private const string Role = "SQuAD";

    public static SquadDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(JsonInputFile.ReadAllBytes(path, Role), path);
    }

    /// <summary>Parses SQuAD JSON already in memory; <paramref name="sourcePath"/> names it in messages.</summary>
    public static SquadDataset Parse(ReadOnlyMemory<byte> utf8Json, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        return new Parser(utf8Json, sourcePath).Run();
    }

    private sealed class PendingAnswer
    {
        public string? Text;
        public int? Start;
        public long Offset;
    }

    private sealed class PendingQuestion
    {
        public string? Id;
        public string? Question;
        public bool IsImpossible;
        public readonly List<PendingAnswer> Answers = [];
        public int QuestionIndex;
        public bool AnswersIsArray;
        public bool Ok = true;
    }

    private sealed class Parser(ReadOnlyMemory<byte> bytes, string sourcePath)
    {
        private readonly List<SquadProblem> _problems = [];
        private readonly List<SquadExample> _examples = new(capacity: Math.Max(16, bytes.Length / 350));
        private readonly Dictionary<string, SquadLocation> _firstLocationOfId = new(StringComparer.Ordinal);
        private readonly List<PendingQuestion> _paragraphQuestions = [];
        private readonly List<(PendingQuestion Question, string Context, int ParagraphIndex)> _articleQuestions = [];
        private JsonLineMap? _lines;
        private int _bomLength;
        private string? _version;
        private int _articleCount;
        private int _paragraphCount;
        private int _questionsRead;
        private int _questionsRejected;
        private int _articleIndex;
        private int _paragraphIndex;

        public SquadDataset Run()
        {
            var span = bytes.Span;
            _bomLength = span.StartsWith(JsonInputFile.Utf8Bom) ? JsonInputFile.Utf8Bom.Length : 0;
            if (span[_bomLength..].TrimStart(" \t\r\n"u8).IsEmpty)
            {
                throw new InputException($"SQuAD file '{sourcePath}' is empty: expected a JSON object with a 'data' array.");
            }
            JsonInputFile.EnsureUtf8(span, sourcePath, Role);
            var reader = new Utf8JsonReader(span[_bomLength..], new JsonReaderOptions { MaxDepth = 64 });
            try
            {
                ReadRoot(ref reader);
            }
            catch (JsonException ex)
            {
                throw NotJson(ex);
            }
            // The bytes are UTF-8, so decoding a key or a string (GetString, ValueTextEquals) fails only on a lone surrogate escape.
            catch (InvalidOperationException ex) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                throw JsonInputFile.InvalidString(span, Offset(ref reader), sourcePath, Role, ex);
            }
            return new SquadDataset(
                sourcePath,
                _version,
                _articleCount,
                _paragraphCount,
                _examples,
                // Answer checks wait for the paragraph's context, so sort to give the report in file order.
                new SquadValidationReport([.. _problems.OrderBy(p => p.Position.ByteOffset)], _questionsRead, _questionsRejected));
        }

        private void ReadRoot(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fatal(ref reader, $"the top level must be a JSON object with a 'data' array, found {Describe(reader.TokenType)}");
            }
            var rootOffset = Offset(ref reader);
            var sawData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw Fatal(ref reader, $"'data' must be an array of articles, found {Describe(reader.TokenType)}");
                    }
                    if (sawData)
                    {
                        throw Fatal(ref reader, "'data' appears twice in the top-level object");
                    }
                    sawData = true;
                    ReadArticles(ref reader);
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        _version = reader.GetString();
                    }
                    else
                    {
                        AddProblem(SquadProblemKind.WrongType, "version", $"expected a string, found {Describe(reader.TokenType)}", Offset(ref reader), null, null, null);
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            // A second Read validates that nothing but whitespace follows the root object.
            reader.Read();
            if (!sawData)
            {
                throw new InputException($"SQuAD file '{sourcePath}' has no 'data' array in its top-level object at {Position(rootOffset)}.");
            }
        }

        private void ReadArticles(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _articleIndex = _articleCount++;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    AddProblem(SquadProblemKind.WrongType, "article", $"expected an article object, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, null, null);
                    reader.Skip();
                    continue;
                }
                ReadArticle(ref reader);
            }
        }

        private void ReadArticle(ref Utf8JsonReader reader)
        {
            var objectOffset = Offset(ref reader);
            string? title = null;
            var titleOk = true;
            var seen = Keys.None;
            _articleQuestions.Clear();
            _paragraphIndex = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("title"u8))
                {
                    if (!FirstTime(ref reader, ref seen, Keys.Title, "title", null, _articleIndex, null, null))
                    {
                        titleOk = false;
                        continue;
                    }
                    title = ReadText(ref reader, "title", null, _articleIndex, null, null, ref titleOk);
                }
                else if (reader.ValueTextEquals("paragraphs"u8))
                {
                    if (!FirstTime(ref reader, ref seen, Keys.Paragraphs, "paragraphs", null, _articleIndex, null, null))
                    {
                        continue;
                    }
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        AddProblem(SquadProblemKind.WrongType, "paragraphs", $"expected an array, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, null, null);
                        reader.Skip();
                        continue;
                    }
                    ReadParagraphs(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if ((seen & Keys.Title) == 0)
            {
                titleOk = false;
                AddProblem(SquadProblemKind.MissingKey, "title", "the article has no 'title'", objectOffset, _articleIndex, null, null);
            }
            if ((seen & Keys.Paragraphs) == 0)
            {
                AddProblem(SquadProblemKind.MissingKey, "paragraphs", "the article has no 'paragraphs'", objectOffset, _articleIndex, null, null);
            }
            foreach (var (question, context, paragraphIndex) in _articleQuestions)
            {
                if (!titleOk)
                {
                    _questionsRejected++;
                    continue;
                }
                var answers = new SquadAnswer[question.Answers.Count];
                for (var i = 0; i < answers.Length; i++)
                {
                    answers[i] = new SquadAnswer(question.Answers[i].Text!, question.Answers[i].Start!.Value);
                }
                _examples.Add(new SquadExample(
                    question.Id!,
                    title!,
                    context,
                    question.Question!,
                    answers,
                    question.IsImpossible,
                    new SquadLocation(_articleIndex, paragraphIndex, question.QuestionIndex)));
            }
        }

        private void ReadParagraphs(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _paragraphIndex++;
                _paragraphCount++;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    AddProblem(SquadProblemKind.WrongType, "paragraph", $"expected a paragraph object, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, _paragraphIndex, null);
                    reader.Skip();
                    continue;
                }
                ReadParagraph(ref reader);
            }
        }

        // SQuAD v2.0 writes "qas" before "context", so questions wait here until the paragraph closes.
        private void ReadParagraph(ref Utf8JsonReader reader)
        {
            var objectOffset = Offset(ref reader);
            string? context = null;
            var contextOk = true;
            var seen = Keys.None;
            _paragraphQuestions.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("context"u8))
                {
                    if (!FirstTime(ref reader, ref seen, Keys.Context, "context", null, _articleIndex, _paragraphIndex, null))
                    {
                        contextOk = false;
                        continue;
                    }
                    context = ReadText(ref reader, "context", null, _articleIndex, _paragraphIndex, null, ref contextOk);
                }
                else if (reader.ValueTextEquals("qas"u8))
                {
                    if (!FirstTime(ref reader, ref seen, Keys.Qas, "qas", null, _articleIndex, _paragraphIndex, null))
                    {
                        continue;
                    }
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        AddProblem(SquadProblemKind.WrongType, "qas", $"expected an array, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, _paragraphIndex, null);
                        reader.Skip();
                        continue;
                    }
                    ReadQuestions(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if ((seen & Keys.Context) == 0)
            {
                contextOk = false;
                AddProblem(SquadProblemKind.MissingKey, "context", "the paragraph has no 'context'", objectOffset, _articleIndex, _paragraphIndex, null);
            }
            if ((seen & Keys.Qas) == 0)
            {
                AddProblem(SquadProblemKind.MissingKey, "qas", "the paragraph has no 'qas'", objectOffset, _articleIndex, _paragraphIndex, null);
            }
            var hasSurrogates = contextOk && context!.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
            foreach (var question in _paragraphQuestions)
            {
                if (question.Ok && contextOk)
                {
                    CheckAnswers(question, context!, hasSurrogates);
                }
                if (question.Ok && contextOk)
                {
                    _articleQuestions.Add((question, context!, _paragraphIndex));
                }
                else
                {
                    _questionsRejected++;
                }
            }
        }

        private void ReadQuestions(ref Utf8JsonReader reader)
        {
            var questionIndex = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _questionsRead++;
                var question = new PendingQuestion { QuestionIndex = questionIndex++ };
                _paragraphQuestions.Add(question);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    question.Ok = false;
                    AddProblem(SquadProblemKind.WrongType, "question", $"expected a question object, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, _paragraphIndex, question.QuestionIndex);
                    reader.Skip();
                    continue;
                }
                ReadQuestion(ref reader, question);
            }
        }

        private void ReadQuestion(ref Utf8JsonReader reader, PendingQuestion question)
        {
            var objectOffset = Offset(ref reader);
            var firstProblem = _problems.Count;
            var seen = Keys.None;
            var qi = question.QuestionIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    if (FirstTime(ref reader, ref seen, Keys.Id, "id", null, _articleIndex, _paragraphIndex, qi))
                    {
                        question.Id = ReadText(ref reader, "id", null, _articleIndex, _paragraphIndex, qi, ref question.Ok);
                    }
                    else
                    {
                        question.Ok = false;
                    }
                }
                else if (reader.ValueTextEquals("question"u8))
                {
                    if (FirstTime(ref reader, ref seen, Keys.Question, "question", null, _articleIndex, _paragraphIndex, qi))
                    {
                        question.Question = ReadText(ref reader, "question", null, _articleIndex, _paragraphIndex, qi, ref question.Ok);
                    }
                    else
                    {
                        question.Ok = false;
                    }
                }
                else if (reader.ValueTextEquals("answers"u8))
                {
                    if (FirstTime(ref reader, ref seen, Keys.Answers, "answers", null, _articleIndex, _paragraphIndex, qi))
                    {
                        ReadAnswers(ref reader, question);
                    }
                    else
                    {
                        question.Ok = false;
                    }
                }
                else if (reader.ValueTextEquals("is_impossible"u8))
                {
                    if (!FirstTime(ref reader, ref seen, Keys.IsImpossible, "is_impossible", null, _articleIndex, _paragraphIndex, qi))
                    {
                        question.Ok = false;
                        continue;
                    }
                    reader.Read();
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                    {
                        question.IsImpossible = reader.TokenType == JsonTokenType.True;
                    }
                    else
                    {
                        question.Ok = false;
                        AddProblem(SquadProblemKind.WrongType, "is_impossible", $"expected true or false, found {Describe(ref reader)}", Offset(ref reader), _articleIndex, _paragraphIndex, qi);
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            foreach (var (key, name) in RequiredQuestionKeys)
            {
                if ((seen & key) == 0)
                {
                    question.Ok = false;
                    AddProblem(SquadProblemKind.MissingKey, name, $"the question has no '{name}'", objectOffset, _articleIndex, _paragraphIndex, qi);
                }
            }
            if (question.AnswersIsArray)
            {
                CheckAnswerability(question, objectOffset);
            }
            if (question.Id is not null)
            {
                var location = new SquadLocation(_articleIndex, _paragraphIndex, qi);
                if (!_firstLocationOfId.TryAdd(question.Id, location))
                {
                    question.Ok = false;
                    var first = _firstLocationOfId[question.Id];
                    AddProblem(SquadProblemKind.DuplicateId, "id", $"id already used by article {first.ArticleIndex}, paragraph {first.ParagraphIndex}, question {first.QuestionIndex}", objectOffset, _articleIndex, _paragraphIndex, qi);
                }
                // The id may come after the fields that had problems; name it in all of them.
                for (var i = firstProblem; i < _problems.Count; i++)
                {
                    _problems[i] = _problems[i] with { QuestionId = question.Id };
                }
            }
        }

        private void CheckAnswerability(PendingQuestion question, long objectOffset)
        {
            if (question.IsImpossible && question.Answers.Count > 0)
            {
                question.Ok = false;
                AddProblem(SquadProblemKind.ImpossibleWithAnswers, "answers", $"is_impossible is true but the question has {question.Answers.Count} answer(s)", objectOffset, _articleIndex, _paragraphIndex, question.QuestionIndex);
            }
            else if (!question.IsImpossible && question.Answers.Count == 0)
            {
                question.Ok = false;
                AddProblem(SquadProblemKind.AnswerableWithoutAnswers, "answers", "the question is answerable (is_impossible absent or false) but has no answers", objectOffset, _articleIndex, _paragraphIndex, question.QuestionIndex);
            }
        }

        private void ReadAnswers(ref Utf8JsonReader reader, PendingQuestion question)
        {
            var qi = question.QuestionIndex;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                question.Ok = false;
                AddProblem(SquadProblemKind.WrongType, "answers", $"expected an array, found {Describe(reader.TokenType)}", Offset(ref reader), _articleIndex, _paragraphIndex, qi);
                reader.Skip();
                return;
            }
            question.AnswersIsArray = true;
            var answerIndex = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var index = answerIndex++;
                var answer = new PendingAnswer { Offset = Offset(ref reader) };
                question.Answers.Add(answer);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    question.Ok = false;
                    AddProblem(SquadProblemKind.WrongType, AnswerField(index, null), $"expected an answer object, found {Describe(reader.TokenType)}", answer.Offset, _articleIndex, _paragraphIndex, qi);
                    reader.Skip();
                    continue;
                }
                var seen = Keys.None;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("text"u8))
                    {
                        if (FirstTime(ref reader, ref seen, Keys.Text, AnswerFields[0], index, _articleIndex, _paragraphIndex, qi))
                        {
                            answer.Text = ReadText(ref reader, AnswerFields[0], index, _articleIndex, _paragraphIndex, qi, ref question.Ok);
                        }
                        else
                        {
                            question.Ok = false;
                        }
                    }
                    else if (reader.ValueTextEquals("answer_start"u8))
                    {
                        if (!FirstTime(ref reader, ref seen, Keys.AnswerStart, AnswerFields[1], index, _articleIndex, _paragraphIndex, qi))
                        {
                            question.Ok = false;
                            continue;
                        }
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var start))
                        {
                            answer.Start = start;
                        }
                        else
                        {
                            question.Ok = false;
                            AddProblem(SquadProblemKind.WrongType, AnswerField(index, AnswerFields[1]), $"expected an integer, found {Describe(ref reader)}", Offset(ref reader), _articleIndex, _paragraphIndex, qi);
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
                if ((seen & Keys.Text) == 0)
                {
                    question.Ok = false;
                    AddProblem(SquadProblemKind.MissingKey, AnswerField(index, AnswerFields[0]), "the answer has no 'text'", answer.Offset, _articleIndex, _paragraphIndex, qi);
                }
                if ((seen & Keys.AnswerStart) == 0)
                {
                    question.Ok = false;
                    AddProblem(SquadProblemKind.MissingKey, AnswerField(index, AnswerFields[1]), "the answer has no 'answer_start'", answer.Offset, _articleIndex, _paragraphIndex, qi);
                }
            }
        }

        private void CheckAnswers(PendingQuestion question, string context, bool contextHasSurrogates)
        {
            for (var i = 0; i < question.Answers.Count; i++)
            {
                var answer = question.Answers[i];
                var text = answer.Text!;
                var start = contextHasSurrogates ? SquadOffsets.CodePointToUtf16(context, answer.Start!.Value) : answer.Start!.Value;
                if (start >= 0 && start <= context.Length - text.Length && string.CompareOrdinal(context, start, text, 0, text.Length) == 0)
                {
                    answer.Start = start;
                    continue;
                }
                question.Ok = false;
                var found = start >= 0 && start < context.Length
                    ? $"the context there reads '{Shorten(context.Substring(start, Math.Min(text.Length, context.Length - start)))}'"
                    : $"the offset is outside the context of {context.Length} characters";
                AddProblem(SquadProblemKind.AnswerMismatch, AnswerField(i, AnswerFields[1]), $"answer text '{Shorten(text)}' is not at answer_start {answer.Start}: {found}", answer.Offset, _articleIndex, _paragraphIndex, question.QuestionIndex, question.Id);
            }
        }

        private string? ReadText(ref Utf8JsonReader reader, string field, int? answerIndex, int? article, int? paragraph, int? question, ref bool ok)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                ok = false;
                AddProblem(SquadProblemKind.WrongType, AnswerField(answerIndex, field), $"expected a string, found {Describe(ref reader)}", Offset(ref reader), article, paragraph, question);
                reader.Skip();
                return null;
            }
            var value = reader.GetString()!;
            if (string.IsNullOrWhiteSpace(value))
            {
                ok = false;
                AddProblem(SquadProblemKind.EmptyValue, AnswerField(answerIndex, field), "the string is empty", Offset(ref reader), article, paragraph, question);
            }
            return value;
        }

        /// <summary>Records the key as seen; on a repeat reports it, skips its value and returns false.</summary>
        private bool FirstTime(ref Utf8JsonReader reader, ref Keys seen, Keys key, string field, int? answerIndex, int? article, int? paragraph, int? question)
        {
            if ((seen & key) == 0)
            {
                seen |= key;
                return true;
            }
            AddProblem(SquadProblemKind.DuplicateKey, AnswerField(answerIndex, field), $"'{field}' appears twice in the same object", Offset(ref reader), article, paragraph, question);
            reader.Read();
            reader.Skip();
            return false;
        }

        private void AddProblem(SquadProblemKind kind, string field, string message, long offset, int? article, int? paragraph, int? question, string? id = null) =>
            _problems.Add(new SquadProblem(kind, field, message, article, paragraph, question, id, Position(offset)));

        private long Offset(ref Utf8JsonReader reader) => reader.TokenStartIndex + _bomLength;

        private JsonPosition Position(long offset) => Lines.At(offset);

        private JsonLineMap Lines => _lines ??= new JsonLineMap(bytes.Span);

        private InputException Fatal(ref Utf8JsonReader reader, string reason) =>
            new($"SQuAD file '{sourcePath}' is not in SQuAD format: {reason} at {Position(Offset(ref reader))}.");

        private InputException NotJson(JsonException ex) => JsonInputFile.NotJson(ex, Lines, bytes.Span, sourcePath, Role);

        private static string Describe(JsonTokenType token) => JsonInputFile.Describe(token);

        private static string Describe(ref Utf8JsonReader reader) =>
            reader.TokenType is JsonTokenType.String or JsonTokenType.Number
                ? $"{Describe(reader.TokenType)} ({Shorten(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))})"
                : Describe(reader.TokenType);

        private static string Shorten(string text) => JsonInputFile.OneLine(text, 60);

        private static readonly string[] AnswerFields = ["text", "answer_start"];

        /// <summary>Field path of a key inside answer <paramref name="answerIndex"/>; built only for problems.</summary>
        private static string AnswerField(int? answerIndex, string? key) =>
            answerIndex is null ? key! : key is null ? $"answers[{answerIndex}]" : $"answers[{answerIndex}].{key}";

        private static readonly (Keys Key, string Name)[] RequiredQuestionKeys =
            [(Keys.Id, "id"), (Keys.Question, "question"), (Keys.Answers, "answers")];
    }

    [Flags]
    private enum Keys
    {
        None = 0,
        Title = 1,
        Paragraphs = 2,
        Context = 4,
        Qas = 8,
        Id = 16,
        Question = 32,
        Answers = 64,
        IsImpossible = 128,
        Text = 256,
        AnswerStart = 512,
    }
}
