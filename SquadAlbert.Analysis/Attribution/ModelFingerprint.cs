using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Attribution;

/// <summary>A content hash of a model: equal for the same configuration and weights wherever they were loaded from.</summary>
public static class ModelFingerprint
{
    /// <summary>SHA-256 (lowercase hex) over the configuration JSON, then each parameter's name, shape and float32 data
    /// in the canonical parameter order.</summary>
    public static string Compute(AlbertCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint.Config)));
        foreach (var (name, shape) in AlbertParameterNames.Expected(checkpoint.Config))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{name}[{string.Join(',', shape)}]\n"));
            hash.AppendData(MemoryMarshal.AsBytes(checkpoint[name].Data.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
