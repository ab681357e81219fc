using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Model;

/// <summary>
/// <see cref="ModelFingerprint.Sha256"/> of model folders, computed once per folder and file version: hashing a folder
/// reads every model file (about 45 MB for the default model), which a page view must not repeat. A folder's version is
/// the name, length and modification time of each model file; only the latest version of each folder is kept.
/// Thread-safe.
/// </summary>
public sealed class ModelFingerprintCache
{
    private readonly ConcurrentDictionary<string, (string Version, Lazy<string> Sha256)> _folders = new(StringComparer.Ordinal);
    private int _computations;

    /// <summary>How many times a folder was hashed (not found in the cache).</summary>
    public int Computations => Volatile.Read(ref _computations);

    /// <exception cref="InputException">The folder holds no model file.</exception>
    public string Sha256(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory));
        var version = Version(folder);
        var entry = _folders.AddOrUpdate(
            folder,
            _ => (version, NewHash(folder)),
            (_, old) => old.Version == version ? old : (version, NewHash(folder)));
        try
        {
            return entry.Sha256.Value;
        }
        catch
        {
            // A folder being written or restored may hash on the next call; do not keep the failure.
            _folders.TryRemove(new KeyValuePair<string, (string, Lazy<string>)>(folder, entry));
            throw;
        }
    }

    private Lazy<string> NewHash(string folder) => new(() =>
    {
        Interlocked.Increment(ref _computations);
        return ModelFingerprint.Sha256(folder);
    });

    private static string Version(string folder)
    {
        var version = new StringBuilder();
        foreach (var name in ModelFingerprint.ModelFiles)
        {
            var file = new FileInfo(Path.Combine(folder, name));
            if (file.Exists)
            {
                version.Append(CultureInfo.InvariantCulture, $"{name}:{file.Length}:{file.LastWriteTimeUtc.Ticks};");
            }
        }
        return version.ToString();
    }
}
