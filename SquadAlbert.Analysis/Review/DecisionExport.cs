using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>Review decisions as CSV (RFC 4180) and JSON, one record per decided sample.</summary>
/// <remarks><c>fixed_start</c> counts UTF-16 code units of the context, as the database does; the corrected SQuAD export
/// converts to SQuAD's code points.</remarks>
public static class DecisionExport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
    private static readonly string[] Header = ["run_id", "sample_index", "example_id", "decision", "note", "fixed_text", "fixed_start", "decided_at"];

    public static string ToCsv(IEnumerable<ReviewDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var d in decisions)
        {
            // Numbers the program writes stay numbers; every text cell may hold dataset or user text.
            string?[] fields =
            [
                d.RunId.ToString(CultureInfo.InvariantCulture), d.SampleIndex.ToString(CultureInfo.InvariantCulture), Neutralise(d.ExampleId),
                Neutralise(ReviewDecision.NameOf(d.Verdict)), Neutralise(d.Note), Neutralise(d.Fix?.Text),
                d.Fix?.Start.ToString(CultureInfo.InvariantCulture), Neutralise(StoredTime.ToText(d.DecidedAt)),
            ];
            csv.Append(string.Join(',', fields.Select(Quote))).Append("\r\n");
        }
        return csv.ToString();
    }

    public static string ToJson(IEnumerable<ReviewDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var rows = decisions.Select(d => new Dictionary<string, object?>
        {
            ["run_id"] = d.RunId,
            ["sample_index"] = d.SampleIndex,
            ["example_id"] = d.ExampleId,
            ["decision"] = ReviewDecision.NameOf(d.Verdict),
            ["note"] = d.Note,
            ["fixed_text"] = d.Fix?.Text,
            ["fixed_start"] = d.Fix?.Start,
            ["decided_at"] = StoredTime.ToText(d.DecidedAt),
        });
        return JsonSerializer.Serialize(rows, Indented);
    }

    /// <summary>
    /// A text cell a spreadsheet would run as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return
    /// first: dataset ids and fixed answer text reach the file) gets a leading apostrophe, OWASP's advice against CSV
    /// injection: the apostrophe makes the cell text. The JSON export keeps every text exactly.
    /// </summary>
    public static string? Neutralise(string? text) =>
        string.IsNullOrEmpty(text) || !FormulaStarts.Contains(text[0]) ? text : "'" + text;

    /// <summary>A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, quote or line break, or
    /// starts or ends with whitespace that a reader could trim.</summary>
    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }
        var needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1]);
        return needsQuotes ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
