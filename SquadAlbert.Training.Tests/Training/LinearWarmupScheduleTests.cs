using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Training;

public sealed class LinearWarmupScheduleTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, 0.5)]
    [InlineData(10, 1.0)]
    [InlineData(55, 0.5)]
    [InlineData(100, 0.0)]
    [InlineData(120, 0.0)]
    public void Warms_up_linearly_then_decays_linearly_to_zero(int step, double expectedFraction)
    {
        var schedule = new LinearWarmupSchedule(PeakLearningRate: 2e-3, WarmupSteps: 10, TotalSteps: 100);
        Assert.Equal(2e-3 * expectedFraction, schedule.LearningRate(step), 12);
    }

    [Fact]
    public void Options_derive_total_steps_from_epochs_or_max_steps()
    {
        Assert.Equal(2 * 7, new TrainingOptions(BatchSize: 16, Epochs: 2).TotalSteps(100));
        Assert.Equal(30, new TrainingOptions(BatchSize: 16, Epochs: 2, MaxSteps: 30).TotalSteps(100));
        Assert.Equal(new LinearWarmupSchedule(1e-3, 6, 100), new TrainingOptions(LearningRate: 1e-3, MaxSteps: 100, WarmupFraction: 0.06).Schedule(5));
    }
}
