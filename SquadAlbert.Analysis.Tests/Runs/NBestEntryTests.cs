using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class NBestEntryTests
{
    [Fact]
    public void Writes_text_span_and_probability_with_non_ascii_escaped_and_reads_them_back()
    {
        NBestEntry[] candidates = [new("Rollo’s \"men\"", 0, 13, 0.625), new("1648", 20, 24, 0.375)];

        var json = NBestEntry.ToJson(candidates);

        Assert.Equal("""[{"text":"Rollo\u2019s \u0022men\u0022","start":0,"end":13,"probability":0.625},{"text":"1648","start":20,"end":24,"probability":0.375}]""", json);
        Assert.Equal(candidates, NBestEntry.ParseJson(json, "run 1 sample 2"));
        Assert.Empty(NBestEntry.ParseJson("[]", "run 1 sample 2"));
    }

    [Fact]
    public void Reads_the_rows_runs_wrote_before_migration_6_skipping_window_tokens_and_score()
    {
        const string Earlier = """[{"text":"1648","start":20,"end":24,"window":0,"start_token":30,"end_token":30,"score":-0.0015,"probability":0.375}]""";

        Assert.Equal([new NBestEntry("1648", 20, 24, 0.375)], NBestEntry.ParseJson(Earlier, "run 1 sample 2"));
    }

    [Fact]
    public void A_candidate_without_a_field_is_an_input_error_naming_the_row()
    {
        var error = Assert.Throws<InputException>(() => NBestEntry.ParseJson("""[{"text":"a","start":0,"end":1}]""", "run 3 sample 7"));

        Assert.StartsWith("run 3 sample 7: samples.nbest_json is not an array of n-best candidates", error.Message, StringComparison.Ordinal);
    }
}
