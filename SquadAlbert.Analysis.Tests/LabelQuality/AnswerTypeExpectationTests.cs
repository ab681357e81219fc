using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class AnswerTypeExpectationTests
{
    [Theory]
    [InlineData("When was the treaty signed?", "1648", 0)]
    [InlineData("When was the treaty signed?", "24 October 1648", 0)]
    [InlineData("When was the treaty signed?", "Westphalia", 1)]
    [InlineData("In what year did Tesla die?", "1943", 0)]
    [InlineData("In what year did Tesla die?", "New York City", 1)]
    [InlineData("How many people live there?", "three million", 0)]
    [InlineData("How many people live there?", "2000", 0)]
    [InlineData("How many people live there?", "the Normans", 1)]
    [InlineData("How much did it cost?", "$5 million", 0)]
    [InlineData("Who led the Normans?", "Rollo", 0)]
    [InlineData("Who led the Normans?", "1066", 1)]
    [InlineData("Where did they settle?", "in March 911", 1)]
    [InlineData("What did they build?", "1066", 0)]
    [InlineData("Name the river.", "12", 0)]
    public void A_gold_of_a_type_the_question_does_not_ask_for_is_a_mismatch(string question, string gold, double expected)
    {
        Assert.Equal(expected, AnswerTypeExpectation.Mismatch(question, [gold]));
    }

    [Fact]
    public void Mismatch_is_the_share_of_the_golds_and_zero_without_golds()
    {
        Assert.Equal(1.0 / 3, AnswerTypeExpectation.Mismatch("When was it?", ["1648", "October 1648", "Westphalia"]), 12);
        Assert.Equal(0.0, AnswerTypeExpectation.Mismatch("When was it?", []));
    }

    [Fact]
    public void Only_question_types_with_a_clear_answer_type_have_an_expectation()
    {
        Assert.Equal([AnswerType.Year, AnswerType.Date], AnswerTypeExpectation.Expected(QuestionType.When));
        Assert.Null(AnswerTypeExpectation.Expected(QuestionType.What));
        Assert.Null(AnswerTypeExpectation.Expected(QuestionType.Which));
        Assert.Null(AnswerTypeExpectation.Expected(QuestionType.How));
    }
}
