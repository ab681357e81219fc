using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Analysis.Tests.Exploration;

public sealed class ClusterRowsTests(SyntheticMapDatabase fixture) : IClassFixture<SyntheticMapDatabase>
{
    [Fact]
    public void Reads_each_methods_rows_with_their_summaries()
    {
        var kmeans = ClusterRows.Load(fixture.Database, fixture.RunId, ClusterMethods.KMeans);
        var hdbscan = ClusterRows.Load(fixture.Database, fixture.RunId, ClusterMethods.Hdbscan);

        Assert.Equal(SyntheticRun.Blobs, kmeans.Count);
        Assert.Equal(SyntheticMapDatabase.Samples, kmeans.Sum(r => r.Size));
        Assert.Equal(SyntheticMapDatabase.Samples, hdbscan.Sum(r => r.Size));
        Assert.Contains(hdbscan, r => r.Cluster == -1);
        var first = kmeans[0];
        Assert.Equal(0, first.Cluster);
        Assert.Equal(new CountedItem("topic 0", first.Size), first.TopNgrams[0]);
        Assert.Single(first.AnswerTypes);
        Assert.Single(first.Titles);
        Assert.Empty(ClusterRows.Load(fixture.Database, fixture.UnprojectedRunId, ClusterMethods.KMeans));
        var column = fixture.Points.Categorical(ClusterMethods.Field(ClusterMethods.KMeans));
        Assert.Equal(column.Codes.Count(c => column.Values[c] == "0"), first.Size);
    }

    [Fact]
    public void Summary_lists_may_be_strings_pairs_objects_or_maps()
    {
        var (ngrams, answerTypes, titles) = ClusterRows.ParseSummary(
            """{"ngrams": ["how many", ["in the", 4]], "answer_types": {"number": 7, "date": null}, "titles": [{"title": "Super_Bowl_50", "count": 3.0}]}""",
            "here");

        Assert.Equal([new("how many", null), new("in the", 4)], ngrams);
        Assert.Equal([new("number", 7), new("date", null)], answerTypes);
        Assert.Equal([new("Super_Bowl_50", 3)], titles);
        Assert.Equal("in the (4)", ngrams[1].ToString());
        var (noNgrams, noTypes, noTitles) = ClusterRows.ParseSummary("{}", "here");
        Assert.Empty(noNgrams);
        Assert.Empty(noTypes);
        Assert.Empty(noTitles);
    }

    [Fact]
    public void Reads_the_summary_the_latent_analysis_writes()
    {
        var (starts, answerTypes, titles) = ClusterRows.ParseSummary(
            """{"top_question_starts":[{"value":"how many","count":12}],"question_types":[{"value":"how many","count":12}],"answer_types":[{"value":"number","count":11}],"top_titles":[{"value":"Super_Bowl_50","count":9}],"mean_answer_position":0.4,"multi_window_share":0}""",
            "here");

        Assert.Equal([new CountedItem("how many", 12)], starts);
        Assert.Equal([new CountedItem("number", 11)], answerTypes);
        Assert.Equal([new CountedItem("Super_Bowl_50", 9)], titles);
    }

    [Theory]
    [InlineData("not json", "summary_json is not JSON")]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("""{"titles": 3}""", "summary_json.titles must be a list")]
    [InlineData("""{"titles": [{"count": 3}]}""", "an item has none of the text fields")]
    [InlineData("""{"titles": [["x", "many"]]}""", "a count must be a number")]
    public void A_bad_summary_is_reported_with_its_row(string json, string message)
    {
        var error = Assert.Throws<InputException>(() => ClusterRows.ParseSummary(json, "clusters row (kmeans, 2) of run 1"));

        Assert.StartsWith("clusters row (kmeans, 2) of run 1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
