namespace SquadAlbert.Training.Training;

/// <summary>
/// Learning rate with linear warm-up from 0 to <see cref="PeakLearningRate"/> over <see cref="WarmupSteps"/>
/// steps, then linear decay to 0 at <see cref="TotalSteps"/> (Hugging Face's <c>get_linear_schedule_with_warmup</c>).
/// </summary>
public sealed record LinearWarmupSchedule(double PeakLearningRate, int WarmupSteps, int TotalSteps)
{
    /// <summary>The rate used for the update of 0-based step <paramref name="step"/>.</summary>
    public double LearningRate(int step)
    {
        if (step < WarmupSteps)
        {
            return PeakLearningRate * step / Math.Max(1, WarmupSteps);
        }
        var remaining = Math.Max(0, TotalSteps - step);
        return PeakLearningRate * remaining / Math.Max(1, TotalSteps - WarmupSteps);
    }
}
