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

    /// <summary>Whether <paramref name="directory"/> holds a weights file this type reads.</summary>
    public static bool Exist(string directory) =>
        File.Exists(System.IO.Path.Combine(directory, SafeTensorsFileName)) || File.Exists(System.IO.Path.Combine(directory, PyTorchFileName));

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
            return new(WithCurrentLayerNormNames(PyTorchCheckpoint.Read(pytorch)), pytorch);
        }
        throw new InputException($"{directory}: no model weights found: expected {SafeTensorsFileName} or {PyTorchFileName}.");
    }

    /// <summary>
    /// Checkpoints converted from the original TensorFlow BERT name LayerNorm parameters <c>gamma</c> and <c>beta</c>;
    /// Hugging Face renames them to <c>weight</c> and <c>bias</c> on loading, and so does this.
    /// </summary>
    private static IReadOnlyDictionary<string, FloatTensor> WithCurrentLayerNormNames(IReadOnlyDictionary<string, FloatTensor> tensors)
    {
        if (!tensors.Keys.Any(k => k.EndsWith(".gamma", StringComparison.Ordinal) || k.EndsWith(".beta", StringComparison.Ordinal)))
        {
            return tensors;
        }
        return tensors.ToDictionary(
            p => p.Key.EndsWith(".gamma", StringComparison.Ordinal) ? p.Key[..^".gamma".Length] + ".weight"
                : p.Key.EndsWith(".beta", StringComparison.Ordinal) ? p.Key[..^".beta".Length] + ".bias" : p.Key,
            p => p.Value,
            StringComparer.Ordinal);
    }
}
