using System.Text.Json;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public class GoldAnswerTests
{
    private static readonly GoldAnswer[] Answers = [new("Beyoncé Giselle Knowles", 5), new("東京 “Tokyo” <b>&'", 0), new("", 12)];

    /// <summary>What SampleAnalyzer and SyntheticRun wrote before <see cref="GoldAnswer.ToJson"/>; existing databases hold it.</summary>
    private static string OldForm(IEnumerable<GoldAnswer> answers) => JsonSerializer.Serialize(answers.Select(a => new { text = a.Text, start = a.Start }));

    [Fact]
    public void Writing_is_byte_identical_to_the_old_form_with_non_ascii_answers()
    {
        Assert.Equal(OldForm(Answers), GoldAnswer.ToJson(Answers));
        Assert.Equal("""[{"text":"Beyonc\u00E9","start":3}]""", GoldAnswer.ToJson([new GoldAnswer("Beyoncé", 3)]));
        Assert.Equal("[]", GoldAnswer.ToJson([]));
    }

    [Fact]
    public void A_row_written_in_the_old_form_parses()
    {
        Assert.Equal(Answers, GoldAnswer.ParseJson(OldForm(Answers), "run 1 sample 2"));
        Assert.Equal([new GoldAnswer("é", 7)], GoldAnswer.ParseJson("""[{"start": 7, "text": "é", "extra": true}]""", "run 1 sample 2"));
    }

    [Fact]
    public void The_field_constants_are_the_names_on_disk()
    {
        using var document = JsonDocument.Parse(GoldAnswer.ToJson([new GoldAnswer("Rollo", 0)]));

        Assert.Equal([GoldAnswer.TextField, GoldAnswer.StartField], document.RootElement[0].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("""[{"text": "a"}]""")]
    [InlineData("""[{"start": 1}]""")]
    [InlineData("""[{"text": null, "start": 1}]""")]
    [InlineData("""[{"text": "a", "start": "one"}]""")]
    public void Anything_else_is_an_input_error_naming_the_row(string json)
    {
        var error = Assert.Throws<InputException>(() => GoldAnswer.ParseJson(json, "run 4 sample 9"));

        Assert.StartsWith("run 4 sample 9: samples.gold_answers_json is not an array of {\"text\", \"start\"}: ", error.Message, StringComparison.Ordinal);
    }
}
