using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.Tests.Metadata;

public sealed class AnswerTypeClassifierTests
{
    [Theory]
    [InlineData("1066", AnswerType.Year)]
    [InlineData("in 1990", AnswerType.Year)]
    [InlineData("1990s", AnswerType.Year)]
    [InlineData("44 BC", AnswerType.Year)]
    [InlineData("c. 1500", AnswerType.Year)]
    [InlineData("2016.", AnswerType.Year)]
    [InlineData("February 7, 2016", AnswerType.Date)]
    [InlineData("7 February 2016", AnswerType.Date)]
    [InlineData("Sunday", AnswerType.Date)]
    [InlineData("12/25/1990", AnswerType.Date)]
    [InlineData("18th century", AnswerType.Date)]
    [InlineData("3000", AnswerType.Number)]
    [InlineData("999", AnswerType.Number)]
    [InlineData("1,700", AnswerType.Number)]
    [InlineData("three", AnswerType.Number)]
    [InlineData("about 2 million people", AnswerType.Number)]
    [InlineData("45%", AnswerType.Percent)]
    [InlineData("twelve percent", AnswerType.Percent)]
    [InlineData("$1.3 billion", AnswerType.Money)]
    [InlineData("5 million pounds", AnswerType.Money)]
    [InlineData("Genghis Khan", AnswerType.ProperNoun)]
    [InlineData("University of Notre Dame", AnswerType.ProperNoun)]
    [InlineData("the Denver Broncos", AnswerType.Other)]
    [InlineData("a large cat", AnswerType.Other)]
    [InlineData("more than 3 of the largest cities in Europe", AnswerType.Other)]
    public void Classifies_hand_written_answers(string answer, AnswerType expected) =>
        Assert.Equal(expected, AnswerTypeClassifier.Classify(answer));

    [Fact]
    public void Labels_are_lower_case_words() => Assert.Equal("proper noun", AnswerType.ProperNoun.Label());
}
