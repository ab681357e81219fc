using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Metadata;

public sealed class AnswerRelationTests
{
    private const string Context = "The Denver Broncos beat the Carolina Panthers in Santa Clara.";

    private static SpanRelation Relate(string predicted, string gold)
    {
        var p = Context.IndexOf(predicted, StringComparison.Ordinal);
        var g = Context.IndexOf(gold, StringComparison.Ordinal);
        return AnswerRelation.Relate(predicted, new CharSpan(p, p + predicted.Length), gold, new CharSpan(g, g + gold.Length));
    }

    [Fact]
    public void Same_text_is_exact() => Assert.Equal(new SpanRelation(SpanRelationKind.Exact, 0), Relate("Denver Broncos", "Denver Broncos"));

    [Fact]
    public void An_extra_article_is_a_normalization_only_difference() =>
        Assert.Equal(new SpanRelation(SpanRelationKind.NormalizationOnly, 0), Relate("The Denver Broncos", "Denver Broncos"));

    [Fact]
    public void Trailing_punctuation_is_a_normalization_only_difference() =>
        Assert.Equal(SpanRelationKind.NormalizationOnly, Relate("Santa Clara.", "Santa Clara").Kind);

    [Fact]
    public void Shared_characters_are_an_overlap() =>
        Assert.Equal(new SpanRelation(SpanRelationKind.Overlap, 0), Relate("Broncos beat", "Denver Broncos"));

    [Fact]
    public void Separate_spans_are_disjoint_with_the_gap_between_them()
    {
        // "Denver Broncos" ends at 18, "Carolina Panthers" starts at 28.
        Assert.Equal(new SpanRelation(SpanRelationKind.Disjoint, 10), Relate("Carolina Panthers", "Denver Broncos"));
        Assert.Equal(new SpanRelation(SpanRelationKind.Disjoint, 10), Relate("Denver Broncos", "Carolina Panthers"));
    }

    [Fact]
    public void An_empty_prediction_is_disjoint_without_a_distance() =>
        Assert.Equal(new SpanRelation(SpanRelationKind.Disjoint, null), AnswerRelation.Relate("", CharSpan.Empty, "Denver", new CharSpan(4, 10)));

    [Theory]
    [InlineData("\"Yesterday\"", true)]
    [InlineData("“Hey Jude”", true)]
    [InlineData("'Yesterday'", true)]
    [InlineData("don't", false)]
    [InlineData("O'Brien", false)]
    [InlineData("the dogs'", true)]
    [InlineData("plain text", false)]
    public void Finds_quotation_marks_but_not_apostrophes(string text, bool expected) =>
        Assert.Equal(expected, AnswerMarks.HasQuotationMarks(text));

    [Theory]
    [InlineData("A Moment Like This\"", "A Moment Like This", true)]
    [InlineData("Say My Name", "\"Say My Name\"", true)]
    [InlineData("“Hey Jude”", "Hey Jude", true)]
    [InlineData("'Yesterday'", "Yesterday", true)]
    [InlineData("Say My Name", "Say My Name", false)]
    [InlineData("\"Say My Name\"", "\"Say My Name\"", false)]
    [InlineData("the Say My Name", "Say My Name", false)]
    [InlineData("O'Brien", "OBrien", false)]
    [InlineData("\"\"", "", false)]
    public void Finds_predictions_that_differ_from_the_gold_only_by_quotation_marks(string prediction, string gold, bool expected) =>
        Assert.Equal(expected, AnswerMarks.DiffersOnlyByQuotationMarks(prediction, [gold]));

    [Fact]
    public void Any_gold_may_match_without_quotes_but_an_exact_gold_wins()
    {
        Assert.True(AnswerMarks.DiffersOnlyByQuotationMarks("\"alone", ["sola", "alone"]));
        Assert.False(AnswerMarks.DiffersOnlyByQuotationMarks("\"alone", ["alone", "\"alone"]));
    }

    [Theory]
    [InlineData("Paris (France)", true)]
    [InlineData("[citation]", true)]
    [InlineData("Paris", false)]
    public void Finds_brackets(string text, bool expected) => Assert.Equal(expected, AnswerMarks.HasBrackets(text));
}
