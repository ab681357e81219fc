using System.Text.Json;
using SquadAlbert.Analysis.Clustering;

namespace SquadAlbert.Analysis.Tests.Clustering;

public sealed class ClusterSummarizerTests
{
    [Fact]
    public void A_dominant_value_names_its_side_alone()
    {
        var name = ClusterSummarizer.Name(0, [new ValueCount("what year", 5), new ValueCount("when", 3), new ValueCount("what", 2)],
            [new ValueCount("year", 9), new ValueCount("date", 1)]);

        Assert.Equal("what year · year", name);
    }

    [Fact]
    public void Without_a_dominant_value_the_top_two_are_joined()
    {
        var name = ClusterSummarizer.Name(3, [new ValueCount("who", 3), new ValueCount("what", 3), new ValueCount("when", 2), new ValueCount("how", 2)],
            [new ValueCount("proper noun", 4), new ValueCount("other", 6)]);

        Assert.Equal("what/who · other", name);
    }

    [Fact]
    public void Noise_is_named_noise()
    {
        Assert.Equal(ClusterSummarizer.NoiseName, ClusterSummarizer.Name(ClusterSummarizer.Noise, [new ValueCount("who", 3)], [new ValueCount("date", 3)]));
    }

    [Fact]
    public void Summarizes_each_label_with_quality_and_composition()
    {
        ClusterMember[] members =
        [
            Member(1.0, true, 1.0, "when", "when did", "date", "Normans", 0.2, false),
            Member(3.0, false, 0.5, "when", "when was", "date", "Normans", 0.4, true),
            Member(2.0, false, 0.0, "who", "who was", "proper noun", "Oxygen", 0.6, false),
            Member(0.5, true, 1.0, "who", "who led", "proper noun", "Oxygen", 0.8, false),
            Member(5.0, false, 0.0, "what", "what is", "other", "Oxygen", 0.5, false),
        ];

        var summaries = ClusterSummarizer.Summarize(members, [0, 0, 1, 1, -1]);

        Assert.Equal([-1, 0, 1], summaries.Select(s => s.Cluster));
        var when = summaries[1];
        Assert.Equal((2, 2.0, 50.0, 75.0), (when.Size, when.MeanLoss, when.ExactMatch, when.F1));
        Assert.Equal("when · date", when.Name);
        Assert.Equal([new ValueCount("when did", 1), new ValueCount("when was", 1)], when.TopQuestionStarts);
        Assert.Equal([new ValueCount("Normans", 2)], when.TopTitles);
        Assert.Equal(0.3, when.MeanAnswerPosition, 12);
        Assert.Equal(0.5, when.MultiWindowShare, 12);
        Assert.Equal("who · proper noun", summaries[2].Name);
        Assert.Equal("noise", summaries[0].Name);
    }

    [Fact]
    public void Summary_json_round_trips()
    {
        var summary = ClusterSummarizer.Summarize([Member(1, true, 1, "when", "when did", "date", "Normans", 0.25, true)], [4])[0];

        var json = summary.ToSummaryJson();
        var parsed = ClusterSummary.ParseSummaryJson(json);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("when did", document.RootElement.GetProperty("top_question_starts")[0].GetProperty("value").GetString());
        Assert.Equal(summary.AnswerTypes, parsed.AnswerTypes);
        Assert.Equal(summary.TopTitles, parsed.TopTitles);
        Assert.Equal((0.25, 1.0), (parsed.MeanAnswerPosition, parsed.MultiWindowShare));
    }

    [Fact]
    public void Rejects_labels_that_do_not_match_the_members()
    {
        Assert.Throws<ArgumentException>(() => ClusterSummarizer.Summarize([Member(1, true, 1, "when", "when did", "date", "T", 0, false)], [0, 1]));
    }

    private static ClusterMember Member(double loss, bool em, double f1, string questionType, string firstWords, string answerType, string title,
        double position, bool multiWindow) => new(loss, em, f1, questionType, firstWords, answerType, title, position, multiWindow);
}
