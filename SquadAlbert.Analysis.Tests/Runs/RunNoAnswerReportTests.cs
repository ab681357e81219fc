using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunNoAnswerReportTests
{
    // Two answerable (right span at −3, wrong span at 1) and two unanswerable (spans at −1 and 2) questions.
    private static readonly ThresholdSample[] Samples =
    [
        new(true, -3, true, 1),
        new(true, 1, false, 0.5),
        new(false, -1, false, 0),
        new(false, 2, false, 0),
    ];

    [Fact]
    public void The_best_threshold_has_the_highest_f1_and_the_slider_holds_every_difference_and_both_thresholds()
    {
        var report = RunNoAnswerReport.Of(Samples, runThreshold: 5);

        // Abstaining on everything above −3 keeps the right span and both unanswerable questions: F1 75.
        Assert.Equal(75, report.Best.F1, 12);
        Assert.True(report.BestThreshold < -1 && report.BestThreshold >= -3);
        Assert.Equal(report.At(report.BestThreshold), report.Best);
        Assert.Equal(5, report.InitialThreshold);
        Assert.True(report.SliderMin <= -3 && report.SliderMax >= 5);
        Assert.Equal(0, report.At(5).Abstentions);
        Assert.All(report.PrecisionRecall, p => Assert.InRange(p.Precision, 0, 1));
    }

    [Fact]
    public void Answering_everything_is_best_when_the_reader_never_abstains_rightly_and_the_threshold_is_a_number()
    {
        var report = RunNoAnswerReport.Of([new(true, -3, true, 1), new(false, -4, false, 0)], runThreshold: null);

        Assert.Equal(-3, report.BestThreshold);
        Assert.Equal(report.BestThreshold, report.InitialThreshold);
        Assert.Equal(50, report.Best.F1, 12);
    }

    [Theory]
    [InlineData("{\"NullThreshold\":-1.5}", -1.5)]
    [InlineData("{\"NBest\":20}", null)]
    [InlineData("not json", null)]
    public void The_run_threshold_comes_from_the_settings(string settingsJson, double? expected)
    {
        var run = new RunInfo
        {
            Id = 1, RunKey = "k", ModelPath = "m", ModelSha256 = "", DataFiles = "[]", Preset = "dev", Population = "p", SettingsJson = settingsJson,
            Status = RunStatus.Finished, CreatedAt = DateTimeOffset.UnixEpoch, FinishedAt = null, SampleCount = 0, BatchCount = 0,
        };
        Assert.Equal(expected, RunNoAnswerReport.RunThresholdOf(run));
    }
}
