using System.Globalization;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Review;

/// <summary>
/// The corrected export keeps everything the decisions do not change. Compared as flattened JSON trees (every leaf
/// with its path, in document order, a repeated key kept twice), so that what differs is listed leaf by leaf.
/// </summary>
public sealed class CorrectedSquadRoundTripTests : IDisposable
{
    private static readonly string ExtraFields = TestPaths.Fixture(Path.Combine("squad", "extra-fields.json"));

    private readonly string _tempDir = Directory.CreateTempSubdirectory("squad-albert-export-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    private static ReviewDecision Decision(string id, ReviewVerdict verdict, FixedSpan? fix = null) =>
        new(1, 0, id, verdict, null, fix, StoredTime.Parse("2026-12-01T10:00:00.000Z", "test"));

    [Fact]
    public void Without_decisions_the_export_is_the_file_byte_for_byte_unknown_and_repeated_keys_included()
    {
        var export = CorrectedSquadExporter.Export([ExtraFields], [], removeFlagged: true);

        Assert.Equal(File.ReadAllBytes(ExtraFields), export.ToUtf8Bytes());
        Assert.Equal(new CorrectedSquadSummary(8, 0, 0), export.Summary);
        var leaves = Leaves(export.Utf8Json);
        Assert.Equal([("$.meta", "1"), ("$.meta", "2")], leaves.Where(l => l.Path == "$.meta"));
        Assert.Contains(("$.version", "\"1.1-extra\""), leaves);
    }

    [Fact]
    public void Without_decisions_the_real_dev_set_comes_back_byte_for_byte()
    {
        var export = CorrectedSquadExporter.Export([TestPaths.DevV11], [], removeFlagged: false);

        Assert.True(File.ReadAllBytes(TestPaths.DevV11).AsSpan().SequenceEqual(export.Utf8Json.Span));
        Assert.Equal(new CorrectedSquadSummary(10570, 0, 0), export.Summary);
    }

    [Fact]
    public void A_byte_order_mark_is_not_repeated()
    {
        var source = File.ReadAllBytes(ExtraFields);
        var withBom = Path.Combine(_tempDir, "bom.json");
        File.WriteAllBytes(withBom, [.. Encoding.UTF8.GetPreamble(), .. source]);

        Assert.Equal(source, CorrectedSquadExporter.Export([withBom], [], removeFlagged: false).ToUtf8Bytes());
    }

    [Fact]
    public void Decisions_change_only_the_fixed_answer_and_the_removed_questions()
    {
        var context = SquadLoader.Load(ExtraFields).Examples.Single(e => e.Id == "q2").Context;
        var fix = new FixedSpan("\"flat white\" \u2013 an", 4);
        Assert.Equal(fix.Text, context.Substring(fix.Start, fix.Text.Length));
        // q1 opens its paragraph, q3 sits between kept questions, q5 and q6 are a whole paragraph, q8 closes one.
        var removed = new[] { "q1", "q3", "q5", "q6", "q8" };
        ReviewDecision[] decisions =
        [
            Decision("q2", ReviewVerdict.Fixed, fix),
            .. removed.Select((id, i) => Decision(id, i % 2 == 0 ? ReviewVerdict.Wrong : ReviewVerdict.Ambiguous)),
            Decision("q4", ReviewVerdict.Correct),
        ];

        var export = CorrectedSquadExporter.Export([ExtraFields], decisions, removeFlagged: true);

        Assert.Equal(new CorrectedSquadSummary(3, 1, 5), export.Summary);
        var expected = Leaves(File.ReadAllBytes(ExtraFields))
            .Where(l => !removed.Any(id => l.Path.Contains($"[id={id}]", StringComparison.Ordinal)))
            .Select(l => l.Path switch
            {
                "$.data[0].paragraphs[0].qas[id=q2].answers[0].text" => (l.Path, JsonSerializer.Serialize(fix.Text)),
                "$.data[0].paragraphs[0].qas[id=q2].answers[0].answer_start" => (l.Path, "4"),
                _ => l,
            });
        Assert.Equal(expected, Leaves(export.Utf8Json));
        // Written as the reader sees it: quotes escaped, the dash as UTF-8, not \u2013.
        Assert.Contains("\"text\": \"\\\"flat white\\\" \u2013 an\", \"answer_start\": 4, \"answer_end\": 36", Encoding.UTF8.GetString(export.Utf8Json.Span), StringComparison.Ordinal);
        var reloaded = SquadLoader.Parse(export.Utf8Json, "export.json");
        Assert.True(reloaded.Validation.IsClean, reloaded.ValidationWarning);
        Assert.Equal(["q2", "q4", "q7"], reloaded.Examples.Select(e => e.Id));
    }

    [Fact]
    public void Flagged_questions_stay_unless_removal_is_asked_for()
    {
        var export = CorrectedSquadExporter.Export([ExtraFields], [Decision("q1", ReviewVerdict.Wrong), Decision("q8", ReviewVerdict.Ambiguous)], removeFlagged: false);

        Assert.Equal(File.ReadAllBytes(ExtraFields), export.ToUtf8Bytes());
        Assert.Equal(new CorrectedSquadSummary(8, 0, 0), export.Summary);
    }

    [Fact]
    public void Decisions_on_the_real_dev_set_change_only_what_they_say()
    {
        var examples = SquadLoader.Load(TestPaths.DevV11).Examples;
        var toFix = examples[1];
        var gold = toFix.Answers[0];
        var fix = new FixedSpan(toFix.Context.Substring(gold.AnswerStart, gold.Text.Length + 4).TrimEnd(), gold.AnswerStart);
        // The first question of a paragraph, the last of the file, and one of the middle of a paragraph.
        var removed = new[] { examples[0].Id, examples[^1].Id, examples[2].Id };

        var export = CorrectedSquadExporter.Export(
            [TestPaths.DevV11],
            [Decision(toFix.Id, ReviewVerdict.Fixed, fix), .. removed.Select(id => Decision(id, ReviewVerdict.Wrong))],
            removeFlagged: true);

        Assert.Equal(new CorrectedSquadSummary(examples.Count - 3, 1, 3), export.Summary);
        var changed = Leaves(File.ReadAllBytes(TestPaths.DevV11)).Except(Leaves(export.Utf8Json)).ToList();
        var added = Leaves(export.Utf8Json).Except(Leaves(File.ReadAllBytes(TestPaths.DevV11))).ToList();
        Assert.All(changed, l => Assert.True(
            removed.Any(id => l.Path.Contains($"[id={id}]", StringComparison.Ordinal)) || l.Path.Contains($"[id={toFix.Id}].answers[0].text", StringComparison.Ordinal),
            l.Path));
        Assert.Equal([($"$.data[0].paragraphs[0].qas[id={toFix.Id}].answers[0].text", JsonSerializer.Serialize(fix.Text))], added);
        var reloaded = SquadLoader.Parse(export.Utf8Json, "export.json");
        Assert.True(reloaded.Validation.IsClean, reloaded.ValidationWarning);
        Assert.Equal(examples.Select(e => e.Id).Except(removed), reloaded.Examples.Select(e => e.Id));
        Assert.Equal(new SquadAnswer(fix.Text, fix.Start), reloaded.Examples.Single(e => e.Id == toFix.Id).Answers[0]);
    }

    [Fact]
    public void Several_files_give_the_first_files_top_level_and_every_files_articles()
    {
        var second = TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json"));

        var export = CorrectedSquadExporter.Export([ExtraFields, second], [Decision("b-0-0", ReviewVerdict.Wrong)], removeFlagged: true);

        var reloaded = SquadLoader.Parse(export.Utf8Json, "export.json");
        Assert.True(reloaded.Validation.IsClean, reloaded.ValidationWarning);
        Assert.Equal("1.1-extra", reloaded.Version);
        Assert.Equal(["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "a-0-0", "a-0-1", "a-1-0"], reloaded.Examples.Select(e => e.Id));
        Assert.Equal(2, Leaves(export.Utf8Json).Count(l => l.Path == "$.meta"));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote \" backslash \\ slash /", "\"quote \\\" backslash \\\\ slash /\"")]
    [InlineData("tab\tnew\nline\r\b\f\u0001\u001f", "\"tab\\tnew\\nline\\r\\b\\f\\u0001\\u001f\"")]
    [InlineData("caf\u00e9 \u2013 <b>&amp;</b> 'x' \U0001F375 \u2028", "\"caf\u00e9 \u2013 <b>&amp;</b> 'x' \U0001F375 \u2028\"")]
    public void Strings_are_written_as_utf8_escaping_only_what_json_requires(string text, string json)
    {
        using var buffer = new MemoryStream();

        CorrectedSquadExporter.WriteJsonString(buffer, text);

        Assert.Equal(json, Encoding.UTF8.GetString(buffer.ToArray()));
        using var document = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal(text, document.RootElement.GetString());
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_its_escape_because_it_has_no_utf8_form()
    {
        using var buffer = new MemoryStream();

        CorrectedSquadExporter.WriteJsonString(buffer, "lone \ud800 and \udc00, paired \ud83c\udf75");

        Assert.Equal("\"lone \\ud800 and \\udc00, paired \U0001F375\"", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// Every scalar of a JSON document as (path, value) in document order. A question's path names its id
    /// (<c>qas[id=q2]</c>) so that removing one does not shift the others; strings are compared decoded (re-serialised
    /// the standard way), numbers, booleans and null as written.
    /// </summary>
    private static List<(string Path, string Value)> Leaves(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var leaves = new List<(string, string)>();
        Walk(document.RootElement, "$", leaves);
        return leaves;

        static void Walk(JsonElement element, string path, List<(string, string)> leaves)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, $"{path}.{property.Name}", leaves);
                    }
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        var segment = path.EndsWith(".qas", StringComparison.Ordinal) && item.TryGetProperty("id", out var id)
                            ? $"id={id.GetString()}"
                            : index.ToString(CultureInfo.InvariantCulture);
                        Walk(item, $"{path}[{segment}]", leaves);
                        index++;
                    }
                    break;
                case JsonValueKind.String:
                    leaves.Add((path, JsonSerializer.Serialize(element.GetString())));
                    break;
                default:
                    leaves.Add((path, element.GetRawText()));
                    break;
            }
        }
    }
}
