using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

[Collection(SquadFilesGroup.Name)]
public class DatasetStatisticsTests(SquadFilesFixture files)
{
    private static SquadExample Example(string title, int article, int paragraph, string context, string question, int answers, bool impossible = false) =>
        new($"{article}-{paragraph}-{question}", title, context, question,
            [.. Enumerable.Repeat(new SquadAnswer(context[..1], 0), answers)], impossible, new SquadLocation(article, paragraph, 0));

    [Fact]
    public void Counts_lengths_and_distributions_of_a_small_set()
    {
        SquadExample[] examples =
        [
            Example("B", 0, 0, "one two three", "why?", 1),
            Example("B", 0, 0, "one two three", "who is it?", 3),
            Example("B", 0, 1, "one two three", "a b c d", 1),
            Example("A", 1, 0, "x y", "what  now ?", 0, impossible: true),
        ];

        var stats = DatasetStatistics.Compute(examples);

        Assert.Equal(2, stats.Articles);
        Assert.Equal(3, stats.Paragraphs);
        Assert.Equal(4, stats.Questions);
        Assert.Equal(5, stats.Answers);
        Assert.Equal(2, stats.UniqueContexts);
        Assert.Equal(1, stats.ImpossibleQuestions);
        Assert.Equal([new TitleCount("B", 3), new TitleCount("A", 1)], stats.TopTitles);
        // Question lengths 4, 10, 7, 11 characters and 1, 3, 4, 3 words.
        Assert.Equal(new LengthSummary(8, 8.5, 2.75, 3), stats.QuestionLength);
        // One length per paragraph: 13, 13, 3 characters and 3, 3, 2 words.
        Assert.Equal(new LengthSummary(29 / 3.0, 13, 8 / 3.0, 3), stats.ContextLength);
        Assert.Equal([new AnswerCountBucket(0, 1), new AnswerCountBucket(1, 2), new AnswerCountBucket(3, 1)], stats.AnswersPerQuestion);
    }

    [Fact]
    public void Equal_question_counts_rank_titles_in_ordinal_order()
    {
        SquadExample[] examples = [Example("b", 0, 0, "c", "q", 1), Example("a", 1, 0, "c", "q", 1), Example("B", 2, 0, "c", "q", 1), Example("b", 0, 1, "c", "q", 1)];

        Assert.Equal(["b", "B", "a"], DatasetStatistics.RankTitles(examples).Select(t => t.Title));
        Assert.Equal(["b"], DatasetStatistics.Compute(examples, topTitles: 1).TopTitles.Select(t => t.Title));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("one", 1)]
    [InlineData(" one\ttwo\n three ", 3)]
    public void Words_are_runs_of_non_whitespace(string text, int words) => Assert.Equal(words, DatasetStatistics.CountWords(text));

    [Fact]
    public void Empty_set_gives_zeros() =>
        Assert.Equal(new LengthSummary(0, 0, 0, 0), DatasetStatistics.Compute([]).QuestionLength);

    [Fact]
    public void Dev_v11_statistics_match_the_official_counts()
    {
        var stats = DatasetStatistics.Compute(files.DevV11.Examples, topTitles: 3);

        Assert.Equal(48, stats.Articles);
        Assert.Equal(2067, stats.Paragraphs);
        Assert.Equal(10570, stats.Questions);
        Assert.Equal(34726, stats.Answers);
        Assert.Equal(0, stats.ImpossibleQuestions);
        Assert.Equal([new TitleCount("Super_Bowl_50", 810), new TitleCount("Nikola_Tesla", 511), new TitleCount("Martin_Luther", 479)], stats.TopTitles);
        Assert.Equal(10570, stats.AnswersPerQuestion.Sum(b => b.Questions));
    }
}
