using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>The one split of a custom population the Runs page offers: <paramref name="Size"/> null takes every
/// question, <paramref name="Titles"/> null every title.</summary>
public sealed record CustomSplit(string Name, string File, int? Size, IReadOnlyList<string>? Titles);

/// <summary>
/// A run as the user asked for it on the Runs page. <paramref name="DataFile"/> is one SQuAD file (a name in the data
/// folder or a path), only for the dev preset; null means the configured data folder. <paramref name="Settings"/> null
/// takes <see cref="DefaultSettings"/>.
/// </summary>
public sealed record RunLaunch(
    string ModelFolder, string? DataFile, string Preset, CustomSplit? Custom = null, bool Force = false, AnalysisSettings? Settings = null)
{
    /// <summary>A short line for the progress panel, e.g. "dev of dev-v1.1.json with albert-squad-small".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Preset} of {(DataFile is null ? "the data folder" : Path.GetFileName(DataFile))} with {Path.GetFileName(Path.TrimEndingDirectorySeparator(ModelFolder))}");

    /// <summary>Loads the data and draws the population, the way <c>squad-albert analyze</c> does for the same choices.</summary>
    /// <exception cref="InputException">A file is missing or not SQuAD, the preset does not fit the data, or the split is invalid.</exception>
    public AnalysisRequest ToRequest(SquadDataDirectory dataFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        if (!Directory.Exists(ModelFolder))
        {
            throw new InputException($"Model folder '{ModelFolder}' does not exist; set {Analysis.Configuration.DefaultModelLocator.EnvironmentVariable} or {Analysis.Configuration.DefaultModelLocator.ConfigurationKey}.");
        }
        var loaded = new Dictionary<string, SquadDataset>(StringComparer.Ordinal);
        SquadDataset Load(string nameOrPath)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Resolve(dataFolder, nameOrPath);
            if (!loaded.TryGetValue(path, out var dataset))
            {
                loaded[path] = dataset = SquadLoader.Load(path);
            }
            return dataset;
        }
        if (DataFile is not null && Preset != PopulationPresets.DevPreset)
        {
            throw new InputException($"A single data file ({DataFile}) only goes with the dev preset; choose the data folder for '{Preset}'.");
        }
        var population = Preset switch
        {
            PopulationPresets.DevPreset => PopulationPresets.Dev(Load(DataFile ?? SquadFiles.DevV11)),
            PopulationPresets.TensorleapPreset => PopulationPresets.Tensorleap(Load(SquadFiles.TrainV11), Load(SquadFiles.DevV11)),
            PopulationPresets.CustomPreset => Custom is { } split
                ? PopulationPresets.Custom([new SplitRequest(split.Name, Load(split.File), split.Titles, split.Size)])
                : throw new InputException("The custom preset needs a split: its name, file, size and titles."),
            _ => throw new InputException($"Unknown preset '{Preset}'; choose dev, tensorleap or custom."),
        };
        return new AnalysisRequest(ModelFolder, population, [.. loaded.Keys], Settings ?? DefaultSettings(ModelFolder), Force);
    }

    /// <summary>The analysis defaults with the window sizes the model folder asks for, as <c>squad-albert analyze</c> uses them.</summary>
    public static AnalysisSettings DefaultSettings(string modelFolder)
    {
        var window = ModelWindowDefaults.For(modelFolder);
        return new AnalysisSettings(window.MaxSeqLength, window.DocStride, window.MaxQueryLength);
    }

    /// <summary>
    /// The launch that resumes an incomplete run: its model, settings and data as recorded. Only runs over one file with
    /// the dev preset can be rebuilt from the record; null otherwise (starting the same choices again resumes those).
    /// </summary>
    public static RunLaunch? ResumeOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.IsFinished || run.Preset != PopulationPresets.DevPreset)
        {
            return null;
        }
        var files = RunSummaries.DataFiles(run);
        if (files.Count != 1)
        {
            return null;
        }
        var settings = JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)
            ?? throw new InputException(string.Create(CultureInfo.InvariantCulture, $"run {run.Id}: settings_json is empty."));
        return new RunLaunch(run.ModelPath, files[0], run.Preset, Settings: settings);
    }

    private static string Resolve(SquadDataDirectory dataFolder, string nameOrPath) =>
        Path.IsPathRooted(nameOrPath) || nameOrPath.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : throw new InputException($"SQuAD file '{nameOrPath}' not found.")
            : dataFolder.FindFile(nameOrPath);
}
