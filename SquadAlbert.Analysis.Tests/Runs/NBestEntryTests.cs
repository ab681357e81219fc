using System.Text.Json;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class NBestEntryTests
{
    [Fact]
    public void Writes_the_bytes_the_anonymous_object_of_earlier_runs_wrote_and_reads_them_back()
    {
        NBestEntry[] candidates = [new("Rollo’s \"men\"", 0, 13, 1, 5, 9, 7.25, 0.625), new("1648", 20, 24, 0, 30, 30, -1.5e-3, 0.375)];
        // How SampleAnalyzer serialised the list before NBestEntry existed (default options: non-ASCII escaped).
        var earlier = JsonSerializer.Serialize(candidates.Select(c => new
        {
            text = c.Text, start = c.Start, end = c.End, window = c.Window, start_token = c.StartToken, end_token = c.EndToken, score = c.Score,
            probability = c.Probability,
        }));

        Assert.Equal(earlier, NBestEntry.ToJson(candidates));
        Assert.Equal(candidates, NBestEntry.ParseJson(earlier, "run 1 sample 2"));
        Assert.Empty(NBestEntry.ParseJson("[]", "run 1 sample 2"));
    }

    [Fact]
    public void A_candidate_without_a_field_is_an_input_error_naming_the_row()
    {
        var error = Assert.Throws<InputException>(() => NBestEntry.ParseJson("""[{"text":"a","start":0,"end":1}]""", "run 3 sample 7"));

        Assert.StartsWith("run 3 sample 7: samples.nbest_json is not an array of n-best candidates", error.Message, StringComparison.Ordinal);
    }
}
