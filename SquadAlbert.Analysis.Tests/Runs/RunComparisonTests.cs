using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunComparisonTests
{
    [Fact]
    public void A_run_compared_with_itself_has_no_flips_or_deltas()
    {
        var database = RunFixture.NewDatabase();
        var run = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1))).RunId;

        var result = RunComparison.Compare(database, run, run);

        Assert.Equal((12, 0, 0, 0, 0), (result.Matched, result.OnlyInA, result.OnlyInB, result.RightToWrong, result.WrongToRight));
        Assert.All(result.Samples, s => Assert.Equal((0.0, 0.0), (s.F1Delta, s.LossDelta)));
    }

    [Fact]
    public void Two_models_differ_by_the_rows_they_stored()
    {
        var database = RunFixture.NewDatabase();
        var a = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1))).RunId;
        var b = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 2))).RunId;

        var result = RunComparison.Compare(database, a, b);

        Assert.Equal(12, result.Matched);
        const string flips = """
            SELECT count(*) FROM samples a JOIN samples b ON b.run_id = {1} AND b.sample_index = a.sample_index
            WHERE a.run_id = $run AND a.exact_match = {0} AND b.exact_match = {2}
            """;
        Assert.Equal(RunFixture.Scalar<long>(database, string.Format(System.Globalization.CultureInfo.InvariantCulture, flips, 1, b, 0), a), result.RightToWrong);
        Assert.Equal(RunFixture.Scalar<long>(database, string.Format(System.Globalization.CultureInfo.InvariantCulture, flips, 0, b, 1), a), result.WrongToRight);
        Assert.Equal(RunFixture.Scalar<double>(database, "SELECT avg(loss) FROM samples WHERE run_id = $run", b) - RunFixture.Scalar<double>(database, "SELECT avg(loss) FROM samples WHERE run_id = $run", a),
            result.MeanLossB - result.MeanLossA, 9);
        Assert.Contains(result.Samples, s => s.LossDelta != 0);
    }

    [Fact]
    public void Flips_follow_exact_match()
    {
        Assert.Equal(Flip.RightToWrong, new SampleDelta(0, "q", "s", true, false, 1, 0, 0.1, 2).Flip);
        Assert.Equal(Flip.WrongToRight, new SampleDelta(0, "q", "s", false, true, 0.5, 1, 2, 0.1).Flip);
        Assert.Equal(Flip.None, new SampleDelta(0, "q", "s", false, false, 0.2, 0.5, 2, 1).Flip);
    }

    [Fact]
    public void An_unknown_run_is_an_input_error()
    {
        var database = RunFixture.NewDatabase();

        var error = Assert.Throws<InputException>(() => RunComparison.Compare(database, 1, 2));

        Assert.Contains("no run 1", error.Message, StringComparison.Ordinal);
    }
}
