using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Testing;

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
        // Summaries come from the analysis's own summarizer: one question type per blob, a dominant answer type.
        Assert.Single(first.QuestionTypes);
        Assert.Equal("entity", first.AnswerTypes[0].Text);
        Assert.InRange(first.Titles.Count, 2, 5);
        Assert.Equal("what · entity", first.Name);
        Assert.Empty(ClusterRows.Load(fixture.Database, fixture.UnprojectedRunId, ClusterMethods.KMeans));
        var column = fixture.Points.Categorical(ClusterMethods.Field(ClusterMethods.KMeans));
        Assert.Equal(column.Codes.Count(c => column.Values[c] == "0"), first.Size);
    }
}
