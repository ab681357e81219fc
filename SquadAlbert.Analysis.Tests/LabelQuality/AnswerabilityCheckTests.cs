using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class AnswerabilityCheckTests
{
    [Theory]
    [InlineData("In what year did the Normans arrive?", "1066", 0.05, AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer)]
    [InlineData("In what year did the Normans arrive?", "1066", 0.5, AnswerabilitySuspicion.None)] // not confident
    [InlineData("In what year did the Normans arrive?", "the Vikings", 0.05, AnswerabilitySuspicion.None)] // no year
    [InlineData("What did the Normans bring?", "horses", 0.05, AnswerabilitySuspicion.None)] // "what" expects nothing
    [InlineData("In what year did the Normans arrive?", "", 1.0, AnswerabilitySuspicion.None)] // no span at all
    public void Unanswerable_questions_with_a_confident_typed_answer_are_suspect(string question, string span, double noAnswer, AnswerabilitySuspicion expected) =>
        Assert.Equal(expected, AnswerabilityCheck.Of(question, answerable: false, [], span, noAnswer));

    [Theory]
    [InlineData("How many ships sailed?", "the king", 0.95, AnswerabilitySuspicion.AnswerableButConfidentAbstention)] // gold is no number
    [InlineData("How many ships sailed?", "700", 0.95, AnswerabilitySuspicion.None)] // the gold fits the question
    [InlineData("What did the Normans bring?", "horses", 0.95, AnswerabilitySuspicion.AnswerableButConfidentAbstention)]
    [InlineData("What did the Normans bring?", "horses", 0.5, AnswerabilitySuspicion.None)]
    public void Answerable_questions_the_reader_confidently_abstains_on_are_suspect(string question, string gold, double noAnswer, AnswerabilitySuspicion expected) =>
        Assert.Equal(expected, AnswerabilityCheck.Of(question, answerable: true, [gold], "anything", noAnswer));
}
