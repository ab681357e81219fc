namespace SquadAlbert.Training.Training;

/// <summary>Optimisation settings of one run. Weight decay is not applied to biases and LayerNorm parameters (as
/// in Hugging Face's <c>run_qa.py</c>).</summary>
public sealed record TrainingOptions(
    int BatchSize = 16,
    double LearningRate = 1e-3,
    double WeightDecay = 0.01,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double AdamEpsilon = 1e-6,
    double WarmupFraction = 0.06,
    double MaxGradNorm = 1.0,
    int Seed = 42,
    int Epochs = 1,
    int? MaxSteps = null,
    int EvaluateEverySteps = 500,
    double CheckpointEveryMinutes = 10)
{
    /// <summary>Total optimizer steps: <see cref="MaxSteps"/> when set, otherwise epochs × batches per epoch.</summary>
    public int TotalSteps(int windowCount) =>
        MaxSteps ?? Epochs * (int)Math.Ceiling(windowCount / (double)BatchSize);

    public LinearWarmupSchedule Schedule(int windowCount)
    {
        var total = TotalSteps(windowCount);
        return new LinearWarmupSchedule(LearningRate, (int)Math.Round(WarmupFraction * total), total);
    }
}
