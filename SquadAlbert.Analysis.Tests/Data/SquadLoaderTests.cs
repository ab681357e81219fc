using System.Text;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public class SquadLoaderTests
{
    private static SquadDataset LoadFixture(string name) => SquadLoader.Load(TestPaths.Fixture(Path.Combine("squad", name)));

    [Fact]
    public void Valid_v11_file_gives_every_question_with_its_paragraph_and_answers()
    {
        var dataset = LoadFixture("valid-v1.1.json");

        Assert.True(dataset.Validation.IsClean);
        Assert.Equal("1.1", dataset.Version);
        Assert.Equal(2, dataset.ArticleCount);
        Assert.Equal(3, dataset.ParagraphCount);
        Assert.Equal(["a-0-0", "a-0-1", "a-1-0", "b-0-0"], dataset.Examples.Select(e => e.Id));
        var dogs = dataset.Examples[2];
        Assert.Equal("Alpha", dogs.Title);
        Assert.Equal("Dogs bark loudly.", dogs.Context);
        Assert.Equal("What do dogs do?", dogs.Question);
        Assert.Equal([new SquadAnswer("bark", 5), new SquadAnswer("bark loudly", 5), new SquadAnswer("Dogs bark", 0)], dogs.Answers);
        Assert.False(dogs.IsImpossible);
        Assert.Equal(new SquadLocation(0, 1, 0), dogs.Location);
        var cafe = dataset.Examples[3];
        Assert.Equal("What is café au lait?", cafe.Question);
        Assert.Equal(new SquadLocation(1, 0, 0), cafe.Location);
        Assert.Same(dataset.Examples[0].Context, dataset.Examples[1].Context);
    }

    [Fact]
    public void Valid_v20_file_reads_questions_written_before_their_context_and_the_impossible_flag()
    {
        var dataset = LoadFixture("valid-v2.0.json");

        Assert.True(dataset.Validation.IsClean);
        Assert.Equal("v2.0", dataset.Version);
        Assert.Equal(2, dataset.Examples.Count);
        Assert.False(dataset.Examples[0].IsImpossible);
        Assert.Equal("Grass is green and sky is blue.", dataset.Examples[0].Context);
        Assert.True(dataset.Examples[1].IsImpossible);
        Assert.Empty(dataset.Examples[1].Answers);
    }

    [Fact]
    public void Answer_offsets_count_code_points_in_the_file_and_utf16_units_in_memory()
    {
        var example = Assert.Single(LoadFixture("astral.json").Examples);

        // The file says 47 (two emoji count once each); .NET needs 49 (each is a surrogate pair).
        var answer = Assert.Single(example.Answers);
        Assert.Equal(49, answer.AnswerStart);
        Assert.Equal("Paris", example.Context.Substring(answer.AnswerStart, answer.Text.Length));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_place_and_only_clean_questions_are_kept()
    {
        var dataset = LoadFixture("problems.json");
        var report = dataset.Validation;

        Assert.Equal(["q-good", "q-beta"], dataset.Examples.Select(e => e.Id));
        Assert.Equal(15, report.QuestionsRead);
        Assert.Equal(13, report.QuestionsRejected);
        Assert.Equal(3, dataset.ArticleCount);
        Assert.Equal(5, dataset.ParagraphCount);

        var expected = new (SquadProblemKind Kind, string Field, int? Article, int? Paragraph, int? Question, string? Id, int Line, int Column, long Byte)[]
        {
            (SquadProblemKind.AnswerMismatch, "answers[0].answer_start", 0, 0, 1, "q-mismatch", 11, 71, 358),
            (SquadProblemKind.WrongType, "answers[0].answer_start", 0, 0, 2, "q-string-start", 12, 106, 501),
            (SquadProblemKind.EmptyValue, "id", 0, 0, 3, "", 13, 20, 528),
            (SquadProblemKind.DuplicateId, "id", 0, 0, 4, "q-good", 14, 13, 619),
            (SquadProblemKind.MissingKey, "id", 0, 0, 5, null, 15, 13, 728),
            (SquadProblemKind.ImpossibleWithAnswers, "answers", 0, 0, 6, "q-impossible-with-answers", 16, 13, 813),
            (SquadProblemKind.AnswerableWithoutAnswers, "answers", 0, 0, 7, "q-answerable-without-answers", 17, 13, 961),
            (SquadProblemKind.AnswerMismatch, "answers[0].answer_start", 0, 0, 8, "q-out-of-range", 18, 75, 1115),
            (SquadProblemKind.WrongType, "is_impossible", 0, 0, 9, "q-late-id", 19, 80, 1233),
            (SquadProblemKind.DuplicateKey, "question", 0, 0, 10, "q-twice", 20, 53, 1348),
            (SquadProblemKind.EmptyValue, "context", 0, 1, null, null, 24, 22, 1474),
            (SquadProblemKind.EmptyValue, "answers[0].text", 0, 1, 0, "q-blank-context", 25, 91, 1570),
            (SquadProblemKind.MissingKey, "context", 0, 2, null, null, 27, 9, 1616),
            (SquadProblemKind.MissingKey, "title", 1, null, null, null, 32, 5, 1770),
        };
        var actual = report.Problems
            .Select(p => (p.Kind, p.Field, p.ArticleIndex, p.ParagraphIndex, p.QuestionIndex, p.QuestionId, p.Position.Line, p.Position.Column, p.Position.ByteOffset))
            .ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Problem_messages_say_what_is_wrong_and_where()
    {
        var problems = LoadFixture("problems.json").Validation.Problems;

        var mismatch = problems[0].ToString();
        Assert.Contains("article 0, paragraph 0, question 1 (id 'q-mismatch')", mismatch, StringComparison.Ordinal);
        Assert.Contains("'answers[0].answer_start'", mismatch, StringComparison.Ordinal);
        Assert.Contains("line 11, column 71 (byte 358)", mismatch, StringComparison.Ordinal);
        Assert.Contains("answer text 'dog' is not at answer_start 4: the context there reads 'cat'", mismatch, StringComparison.Ordinal);
        Assert.Contains("expected an integer, found a string (4)", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("expected true or false, found a string (no)", problems[8].Message, StringComparison.Ordinal);
        Assert.Contains("outside the context of 23 characters", problems[7].Message, StringComparison.Ordinal);
        Assert.Contains("id already used by article 0, paragraph 0, question 0", problems[3].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.json", "is empty")]
    [InlineData("not-json.json", "is not valid JSON at line 1, column 2 (byte 1): 'title,question\\nAlpha,Who?\\n' is an invalid JSON literal")]
    [InlineData("top-level-array.json", "the top level must be a JSON object with a 'data' array, found an array at line 1, column 1 (byte 0)")]
    [InlineData("no-data.json", "has no 'data' array in its top-level object at line 1, column 1 (byte 0)")]
    [InlineData("data-not-array.json", "'data' must be an array of articles, found an object at line 1, column 28 (byte 27)")]
    [InlineData("truncated.json", "is not valid JSON at line 1, column 121 (byte 120)")]
    [InlineData("two-documents.json", "is not valid JSON at line 2, column 1 (byte 31)")]
    public void A_file_that_is_not_squad_fails_with_one_message_naming_file_and_position(string fixture, string expected)
    {
        var path = TestPaths.Fixture(Path.Combine("squad", fixture));

        var error = Assert.Throws<InputException>(() => SquadLoader.Load(path));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"data": [7]}""", SquadProblemKind.WrongType, "article", 10)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": "none"}]}""", SquadProblemKind.WrongType, "paragraphs", 39)]
    [InlineData("""{"data": [{"title": ["T"], "paragraphs": []}]}""", SquadProblemKind.WrongType, "title", 20)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": {}}]}]}""", SquadProblemKind.WrongType, "qas", 64)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c"}]}]}""", SquadProblemKind.MissingKey, "qas", 40)]
    [InlineData("""{"data": [{"title": "T"}]}""", SquadProblemKind.MissingKey, "paragraphs", 10)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "i", "question": "q", "answers": "c"}]}]}]}""", SquadProblemKind.WrongType, "answers", 105)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "i", "question": "q", "answers": [{"answer_start": 0}]}]}]}]}""", SquadProblemKind.MissingKey, "answers[0].text", 106)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "i", "question": "q", "answers": [{"text": "c", "answer_start": 0.5}]}]}]}]}""", SquadProblemKind.WrongType, "answers[0].answer_start", 136)]
    [InlineData("""{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": 5, "question": "q", "answers": [{"text": "c", "answer_start": 0}]}]}]}]}""", SquadProblemKind.WrongType, "id", 72)]
    public void Wrong_shapes_inside_the_data_are_problems_not_failures(string json, SquadProblemKind kind, string field, long offset)
    {
        var dataset = SquadLoader.Parse(Encoding.UTF8.GetBytes(json), "inline.json");

        var problem = Assert.Single(dataset.Validation.Problems);
        Assert.Equal((kind, field, offset), (problem.Kind, problem.Field, problem.Position.ByteOffset));
        Assert.Empty(dataset.Examples);
    }

    [Fact]
    public void A_truncated_file_is_called_truncated()
    {
        var error = Assert.Throws<InputException>(() => LoadFixture("truncated.json"));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_message()
    {
        var path = Path.Combine(Path.GetTempPath(), "squad-albert-no-such-file", "dev.json");

        var error = Assert.Throws<InputException>(() => SquadLoader.Load(path));

        Assert.Equal($"SQuAD file '{path}' does not exist.", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_and_positions_still_count_it()
    {
        var json = "{\"data\": [{\"title\": 7, \"paragraphs\": []}]}";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();

        var problem = Assert.Single(SquadLoader.Parse(bytes, "bom.json").Validation.Problems);

        Assert.Equal(SquadProblemKind.WrongType, problem.Kind);
        Assert.Equal(3 + json.IndexOf('7', StringComparison.Ordinal), problem.Position.ByteOffset);
    }

    [Fact]
    public void A_byte_that_is_not_utf8_fails_with_its_position_and_json_path()
    {
        var bytes = Encoding.Latin1.GetBytes("""{"data": [{"title": "T", "paragraphs": [{"context": "Café au lait", "qas": []}]}]}""");
        var at = Array.IndexOf(bytes, (byte)0xE9);

        var error = Assert.Throws<InputException>(() => SquadLoader.Parse(bytes, "latin1.json"));

        Assert.Equal(
            $"SQuAD file 'latin1.json' is not valid UTF-8 at line 1, column {at + 1} (byte {at}), in $.data[0].paragraphs[0].context: " +
            "byte 0xE9 does not belong to a UTF-8 character (JSON files must be UTF-8; was it saved as Latin-1 or Windows-1252?).",
            error.Message);
    }

    [Fact]
    public void A_byte_that_is_not_utf8_is_refused_even_where_the_loader_reads_nothing()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"data": [], "meta": {"note": "#"}}""");
        var at = Array.IndexOf(bytes, (byte)'#');
        bytes[at] = 0xFF;

        var error = Assert.Throws<InputException>(() => SquadLoader.Parse(bytes, "meta.json"));

        Assert.Contains($"at line 1, column {at + 1} (byte {at}), in $.meta.note: byte 0xFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf16_file_is_called_utf16()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("""{"data": []}""")).ToArray();

        var error = Assert.Throws<InputException>(() => SquadLoader.Parse(bytes, "utf16.json"));

        Assert.Contains("is not valid UTF-8 at line 1, column 1 (byte 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-16 byte-order mark", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("context", "\\ud800", "$.data[0].paragraphs[0].context")]
    [InlineData("answer", "\\udc00", "$.data[0].paragraphs[0].qas[0].answers[0].text")]
    [InlineData("question", "\\ud83c", "$.data[0].paragraphs[0].qas[0].question")]
    [InlineData("id", "\\udbff", "$.data[0].paragraphs[0].qas[0].id")]
    [InlineData("title", "\\udfff", "$.data[0].title")]
    public void A_lone_surrogate_escape_fails_with_its_position_and_json_path(string where, string escape, string jsonPath)
    {
        // A high surrogate followed by a letter's escape, or at the end of the string, is as lone as one on its own.
        var json = """{"data": [{"title": "T#", "paragraphs": [{"context": "Caf# au lait", "qas": [{"id": "q#", "question": "Which#?", "answers": [{"text": "au#", "answer_start": 4}]}]}]}]}""";
        var marker = where switch
        {
            "title" => "T#",
            "context" => "Caf#",
            "id" => "q#",
            "question" => "Which#",
            _ => "au#",
        };
        var suffix = where == "question" ? "\\u0041" : "";
        json = json.Replace(marker, marker.Replace("#", escape + suffix, StringComparison.Ordinal), StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal);
        var at = json.IndexOf(escape, StringComparison.Ordinal);

        var error = Assert.Throws<InputException>(() => SquadLoader.Parse(Encoding.UTF8.GetBytes(json), "lone.json"));

        Assert.Equal(
            $"SQuAD file 'lone.json' has an invalid string at line 1, column {at + 1} (byte {at}), in {jsonPath}: {escape} is a lone UTF-16 " +
            "surrogate (half of a pair), not a character; replace it with the character it was meant to be, or remove it.",
            error.Message);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_key_is_refused()
    {
        var json = """{"data": [], "\ud800": 1}""";

        var error = Assert.Throws<InputException>(() => SquadLoader.Parse(Encoding.UTF8.GetBytes(json), "key.json"));

        Assert.Contains("has an invalid string at line 1, column 15 (byte 14)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Surrogate_pairs_are_read_and_lone_surrogates_in_values_the_loader_skips_are_left_alone()
    {
        var json = """
            {"data": [{"title": "T", "paragraphs": [{"context": "\ud83c\udfb5 au lait", "note": "\ud800",
              "qas": [{"id": "q", "question": "Which?", "answers": [{"text": "au", "answer_start": 2, "x": "\udc00"}]}]}]}]}
            """;

        var dataset = SquadLoader.Parse(Encoding.UTF8.GetBytes(json), "pairs.json");

        Assert.True(dataset.Validation.IsClean, dataset.ValidationWarning);
        Assert.Equal("\U0001F3B5 au lait", Assert.Single(dataset.Examples).Context);
    }
}
