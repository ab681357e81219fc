using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Dashboard.Hosting;

namespace SquadAlbert.Dashboard.Features.Datasets;

/// <summary>A loaded SQuAD file with its statistics, as the dashboard shows it.</summary>
public sealed record DatasetView(SquadDataset Dataset, DatasetStatistics Statistics, TimeSpan LoadTime);

/// <summary>
/// The SQuAD files in the configured data folder. Loading happens off the circuit's thread and is cached per
/// file version, so every page and user share one parse of each file. Only the latest version (modification time) of
/// each file is kept: a parsed train file holds hundreds of megabytes, and an edited file is never asked for in its old version.
/// </summary>
/// <param name="settings">Supplies <see cref="SquadAlbertSettings.DataDirectory"/>.</param>
/// <param name="readEnvironment">Reads environment variables; null means the process environment (tests pass their own).</param>
public sealed class DatasetCatalog(IOptions<SquadAlbertSettings> settings, Func<string, string?>? readEnvironment = null)
{
    private readonly ConcurrentDictionary<string, (DateTime Modified, Lazy<Task<DatasetView>> View)> _loaded = new(StringComparer.Ordinal);

    /// <summary>The data folder, resolved from the environment and <see cref="SquadAlbertSettings.DataDirectory"/>.</summary>
    public SquadDataDirectory DataDirectory =>
        SquadDataLocator.Resolve(commandLineDirectory: null, settings.Value.DataDirectory, readEnvironment);

    /// <summary>JSON files in the data folder, official files first, then by name.</summary>
    public IReadOnlyList<string> ListFiles()
    {
        var folder = DataDirectory.Path;
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, "*.json")
            .Select(Path.GetFileName)
            .OfType<string>()
            .OrderBy(name => name == SquadFiles.DevV11 ? 0 : name == SquadFiles.TrainV11 ? 1 : 2)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Loads <paramref name="fileName"/> from the data folder; a failed load is not cached, so a fixed file loads on retry.</summary>
    /// <exception cref="Analysis.InputException">The file is missing or is not SQuAD.</exception>
    public async Task<DatasetView> LoadAsync(string fileName, CancellationToken cancellationToken = default)
    {
        var path = DataDirectory.FindFile(Path.GetFileName(fileName));
        var modified = File.GetLastWriteTimeUtc(path);
        var entry = _loaded.AddOrUpdate(
            path,
            p => (modified, NewLoad(p)),
            (p, old) => old.Modified == modified ? old : (modified, NewLoad(p)));
        try
        {
            return await entry.View.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (entry.View.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, (DateTime, Lazy<Task<DatasetView>>)>(path, entry));
            throw;
        }
    }

    /// <summary>How many file versions are held (one per file at most).</summary>
    public int CachedVersions => _loaded.Count;

    private static Lazy<Task<DatasetView>> NewLoad(string path) => new(() => Task.Run(() => Load(path), CancellationToken.None));

    private static DatasetView Load(string path)
    {
        var clock = Stopwatch.StartNew();
        var dataset = SquadLoader.Load(path);
        var statistics = DatasetStatistics.Compute(dataset.Examples);
        return new DatasetView(dataset, statistics, clock.Elapsed);
    }
}
