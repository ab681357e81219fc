using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.Tests.Metadata;

public sealed class QuestionClassifierTests
{
    [Theory]
    [InlineData("What is the capital of France?", QuestionType.What, "what")]
    [InlineData("In what year did the war end?", QuestionType.WhatYear, "what")]
    [InlineData("Which year saw the first flight?", QuestionType.WhatYear, "which")]
    [InlineData("What years did he reign?", QuestionType.WhatYear, "what")]
    [InlineData("Which team won Super Bowl 50?", QuestionType.Which, "which")]
    [InlineData("When was the treaty signed?", QuestionType.When, "when")]
    [InlineData("How many people live in Warsaw?", QuestionType.HowMany, "how")]
    [InlineData("How much did it cost?", QuestionType.HowMuch, "how")]
    [InlineData("How long is the Rhine?", QuestionType.How, "how")]
    [InlineData("Who wrote Hamlet?", QuestionType.Who, "who")]
    [InlineData("To whom was the letter sent?", QuestionType.Whom, "whom")]
    [InlineData("Whose army won?", QuestionType.Whose, "whose")]
    [InlineData("Why did the empire fall?", QuestionType.Why, "why")]
    [InlineData("Where is the Eiffel Tower?", QuestionType.Where, "where")]
    [InlineData("The Normans came from where?", QuestionType.Where, "where")]
    [InlineData("Along with Paris, what city hosted it?", QuestionType.What, "what")]
    [InlineData("Name the largest moon of Saturn.", QuestionType.Other, null)]
    [InlineData("Is Warsaw the capital?", QuestionType.Other, null)]
    [InlineData("Somewhat whatever happened?", QuestionType.Other, null)]
    public void Uses_the_first_wh_word_anywhere(string question, QuestionType expected, string? whWord)
    {
        var result = QuestionClassifier.Classify(question);

        Assert.Equal(expected, result.Type);
        Assert.Equal(whWord, result.WhWord);
    }

    [Fact]
    public void Keeps_the_first_two_words_in_lower_case()
    {
        Assert.Equal("in what", QuestionClassifier.Classify("In what year did the war end?").FirstWords);
        Assert.Equal("who", QuestionClassifier.Classify("Who?").FirstWords);
    }

    [Fact]
    public void Labels_are_the_words_of_the_type()
    {
        Assert.Equal("what year", QuestionType.WhatYear.Label());
        Assert.Equal("how many", QuestionType.HowMany.Label());
        Assert.Equal("whom", QuestionType.Whom.Label());
    }
}
