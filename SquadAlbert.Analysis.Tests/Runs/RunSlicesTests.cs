using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunSlicesTests
{
    private static SliceSample Sample(string title, int contextTokens, bool exact, double f1, double loss, int? cluster = null, string questionType = "what", string answerType = "date") =>
        new(title, questionType, answerType, cluster, contextTokens, exact, f1, loss);

    [Fact]
    public void Slices_average_their_samples_and_order_by_size()
    {
        var samples = new[]
        {
            Sample("B", 50, true, 1.0, 0.5, questionType: "who"),
            Sample("A", 150, false, 0.5, 2.5),
            Sample("A", 250, false, 0.0, 3.0),
            Sample("C", 99, true, 1.0, 1.0, answerType: "person"),
        };

        var report = RunSlices.Aggregate(7, samples);

        Assert.Equal(7, report.RunId);
        Assert.Equal(4, report.Samples);
        Assert.Equal([("A", 2), ("B", 1), ("C", 1)], report.ByTitle.Select(r => (r.Key, r.Count)));
        var a = report.ByTitle[0];
        Assert.Equal((0.0, 25.0, 2.75), (a.ExactMatch, a.F1, a.MeanLoss));
        Assert.Equal([("what", 3), ("who", 1)], report.ByQuestionType.Select(r => (r.Key, r.Count)));
        Assert.Equal(100.0 / 3, report.ByQuestionType[0].ExactMatch, 9);
        Assert.Equal(50.0, report.ByQuestionType[0].F1, 9);
        Assert.Equal([("date", 3), ("person", 1)], report.ByAnswerType.Select(r => (r.Key, r.Count)));
        Assert.Equal([("<100", 2), ("100–199", 1), ("200–299", 1)], report.ByContextLength.Select(r => (r.Key, r.Count)));
        Assert.Equal(100.0, report.ByContextLength[0].ExactMatch);
    }

    [Fact]
    public void Clusters_are_empty_until_the_latent_stages_set_them()
    {
        Assert.False(RunSlices.Aggregate(1, [Sample("A", 10, true, 1, 0)]).HasClusters);

        var report = RunSlices.Aggregate(1, [Sample("A", 10, true, 1, 0, cluster: 2), Sample("A", 10, false, 0, 4, cluster: 0), Sample("A", 10, false, 0.5, 2, cluster: 2)]);

        Assert.True(report.HasClusters);
        Assert.Equal([("cluster 0", 1), ("cluster 2", 2)], report.ByCluster.Select(r => (r.Key, r.Count)));
        Assert.Equal((50.0, 75.0, 1.0), (report.ByCluster[1].ExactMatch, report.ByCluster[1].F1, report.ByCluster[1].MeanLoss));
    }

    [Fact]
    public void Predictions_that_differ_only_by_quotation_marks_get_their_own_relation_slice()
    {
        Assert.Equal(RunSlices.QuotationMarksOnly, RunSlices.RelationSlice("normalization only", "A Moment Like This\"", ["A Moment Like This"]));
        Assert.Equal("normalization only", RunSlices.RelationSlice("normalization only", "the Moment", ["Moment"]));
        Assert.Equal("exact", RunSlices.RelationSlice("exact", "\"Say My Name\"", ["\"Say My Name\""]));

        var report = RunSlices.Aggregate(1,
        [
            new SliceSample("A", "what", "title", null, 10, true, 1, 1.5, RunSlices.QuotationMarksOnly),
            new SliceSample("A", "what", "title", null, 10, true, 1, 0.1, "exact"),
            new SliceSample("A", "what", "title", null, 10, true, 1, 0.3, "exact"),
        ]);

        Assert.Equal([("exact", 2), (RunSlices.QuotationMarksOnly, 1)], report.ByRelation.Select(r => (r.Key, r.Count)));
        Assert.Equal(1.5, report.ByRelation[1].MeanLoss);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(199, 1)]
    [InlineData(200, 2)]
    [InlineData(299, 2)]
    [InlineData(300, 3)]
    [InlineData(5000, 3)]
    public void Context_lengths_fall_in_hundred_token_bins(int tokens, int bin) => Assert.Equal(bin, RunSlices.ContextLengthBin(tokens));

    [Fact]
    public void Bin_labels_name_their_bounds()
    {
        Assert.Equal(["<100", "100–199", "200–299", "300+"], Enumerable.Range(0, 4).Select(RunSlices.ContextLengthLabel));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunSlices.ContextLengthLabel(4));
    }

    [Fact]
    public void The_histogram_counts_every_value_once_and_closes_its_last_bin()
    {
        var bins = RunSlices.Histogram([0.0, 0.9, 1.0, 1.1, 2.5, 4.0], 4);

        Assert.Equal([(0.0, 1.0, 2), (1.0, 2.0, 2), (2.0, 3.0, 1), (3.0, 4.0, 1)], bins.Select(b => (b.Lower, b.Upper, b.Count)));
        Assert.Empty(RunSlices.Histogram([], 4));
        Assert.Equal([(2.0, 2.0, 3)], RunSlices.Histogram([2.0, 2.0, 2.0], 4).Select(b => (b.Lower, b.Upper, b.Count)));
    }

    [Fact]
    public void A_stored_run_is_sliced_from_its_rows()
    {
        var database = RunFixture.NewDatabase();
        var runId = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1))).RunId;

        var report = RunSlices.Compute(database, runId);

        Assert.Equal(12, report.Samples);
        Assert.False(report.HasClusters);
        Assert.Equal(RunFixture.Scalar<int>(database, "SELECT count(DISTINCT title) FROM samples WHERE run_id = $run", runId), report.ByTitle.Count);
        Assert.Equal(RunFixture.Scalar<int>(database, "SELECT count(DISTINCT question_type) FROM samples WHERE run_id = $run", runId), report.ByQuestionType.Count);
        foreach (var slices in new[] { report.ByTitle, report.ByQuestionType, report.ByAnswerType, report.ByContextLength })
        {
            Assert.Equal(12, slices.Sum(s => s.Count));
            Assert.Equal(RunFixture.Scalar<double>(database, "SELECT avg(loss) FROM samples WHERE run_id = $run", runId), slices.Sum(s => s.MeanLoss * s.Count) / 12, 9);
        }
        Assert.Equal(12, report.LossHistogram.Sum(b => b.Count));

        var updated = RunFixture.Scalar<long>(database, "UPDATE samples SET cluster = sample_index % 3 WHERE run_id = $run RETURNING 1", runId);
        Assert.Equal(1, updated);
        Assert.Equal(3, RunSlices.Compute(database, runId).ByCluster.Count);
    }

    [Fact]
    public void An_unknown_run_is_an_input_error()
    {
        var error = Assert.Throws<InputException>(() => RunSlices.Compute(RunFixture.NewDatabase(), 5));
        Assert.Contains("no run 5", error.Message, StringComparison.Ordinal);
    }
}
