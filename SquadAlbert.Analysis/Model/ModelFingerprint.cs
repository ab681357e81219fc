using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model;

/// <summary>
/// Hashes that identify a model. <see cref="Compute"/> hashes the loaded weights (attribution cache keys: equal wherever the
/// same weights came from); <see cref="Sha256"/> hashes a folder's files (analysis runs: any file that could change an answer).
/// </summary>
public static class ModelFingerprint
{
    /// <summary>SHA-256 (lowercase hex) over the configuration JSON, then each parameter's name, shape and float32 data
    /// in the canonical parameter order.</summary>
    public static string Compute(QaCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint.Config)));
        foreach (var (name, shape) in EncoderParameterNames.Expected(checkpoint.Config))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{name}[{string.Join(',', shape)}]\n"));
            hash.AppendData(MemoryMarshal.AsBytes(checkpoint[name].Data.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The files <see cref="Sha256"/> hashes, in its order.</summary>
    internal static readonly string[] ModelFiles =
        [EncoderConfig.FileName, QaCheckpoint.WeightsFileName, CheckpointWeights.PyTorchFileName, QaModelSession.OnnxFileName, ModelTokenizer.SentencePieceFileName, ModelTokenizer.VocabularyFileName];

    /// <summary>SHA-256 over the name, length and bytes of each model file present, in a fixed order.</summary>
    public static string Sha256(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var found = false;
        foreach (var name in ModelFiles)
        {
            var path = Path.Combine(modelDirectory, name);
            if (!File.Exists(path))
            {
                continue;
            }
            found = true;
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{new FileInfo(path).Length}\n"));
            using var stream = File.OpenRead(path);
            hash.AppendData(SHA256.HashData(stream));
        }
        if (!found)
        {
            throw new InputException($"{modelDirectory}: no model files ({string.Join(", ", ModelFiles)}).");
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
