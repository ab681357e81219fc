namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// The weights of a Hugging Face model folder and the file they came from. Folders on the Hub carry
/// <c>model.safetensors</c>, <c>pytorch_model.bin</c> or both; safetensors wins when both are there, because it
/// is the format Hugging Face now writes first and it is read without a pickle at all.
/// </summary>
public sealed record CheckpointWeights(IReadOnlyDictionary<string, FloatTensor> Tensors, string Path)
{
    public const string SafeTensorsFileName = "model.safetensors";
    public const string PyTorchFileName = "pytorch_model.bin";

    /// <summary>Reads the weights file of <paramref name="directory"/>, converted to float32.</summary>
    public static CheckpointWeights Read(string directory)
    {
        var safetensors = System.IO.Path.Combine(directory, SafeTensorsFileName);
        if (File.Exists(safetensors))
        {
            return new(SafeTensors.Read(safetensors), safetensors);
        }
        var pytorch = System.IO.Path.Combine(directory, PyTorchFileName);
        if (File.Exists(pytorch))
        {
            return new(PyTorchCheckpoint.Read(pytorch), pytorch);
        }
        throw new InputException($"{directory}: no model weights found: expected {SafeTensorsFileName} or {PyTorchFileName}.");
    }
}
