using SquadAlbert.Analysis.Review;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class RunSampleReaderTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    [Fact]
    public void Samples_by_index_come_in_the_asked_order_without_the_missing_ones()
    {
        var reader = new RunSampleReader(run.Database);
        var all = reader.All(run.RunId);
        Assert.True(all.Count >= 2, "the analysed run has fewer than two samples");
        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(s => s.SampleIndex));

        var asked = new[] { all.Count - 1, all.Count + 5, 0 };
        var found = reader.FindMany(run.RunId, asked);

        Assert.Equal([all.Count - 1, 0], found.Select(s => s.SampleIndex));
        // Lists compare by reference in a record: compare them by content, the rest as records.
        Assert.Equal(all[0], found[1] with { GoldAnswers = all[0].GoldAnswers, NBest = all[0].NBest });
        Assert.Equal(all[0].GoldAnswers, found[1].GoldAnswers);
        Assert.Equal(all[0].NBest, found[1].NBest);
        Assert.Empty(reader.FindMany(run.RunId, []));
    }

    [Fact]
    public void A_missing_sample_is_null()
    {
        var reader = new RunSampleReader(run.Database);

        Assert.Null(reader.Find(run.RunId, reader.All(run.RunId).Count));
        Assert.Null(reader.Find(run.RunId + 1000, 0));
        Assert.Equal(0, reader.Find(run.RunId, 0)!.SampleIndex);
    }
}
