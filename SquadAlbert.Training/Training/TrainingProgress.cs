using System.Text.Json;

namespace SquadAlbert.Training.Training;

/// <summary>Where a run stands: the number of finished optimizer steps and the next batch to visit.
/// Together with the seed this fixes the data order and the dropout randomness of every later step.</summary>
public sealed record TrainingProgress(int Step, int Epoch, int BatchInEpoch)
{
    public static TrainingProgress Start => new(0, 0, 0);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TrainingProgress Load(string path) =>
        JsonSerializer.Deserialize<TrainingProgress>(File.ReadAllText(path))
        ?? throw new Analysis.InputException($"{path}: empty training progress file.");
}
