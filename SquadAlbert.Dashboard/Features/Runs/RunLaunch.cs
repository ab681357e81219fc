using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// A run as the user asked for it on the Runs page: the model, the <paramref name="Population"/> (its data file, when
/// given, is a name in the data folder or a path), and <paramref name="Settings"/> (null takes <see cref="DefaultSettings"/>
/// in <paramref name="Precision"/> with <paramref name="NullThreshold"/>; given settings carry their own precision and
/// threshold). <paramref name="NullThreshold"/>: the SQuAD 2.0 no-answer threshold, null for the model folder's, else 0.0
/// (<see cref="AnalysisRunner.ResolveSettings"/> keeps it for a v2.0 population only).
/// </summary>
public sealed record RunLaunch(
    string ModelFolder, PopulationRequest Population, bool Force = false, AnalysisSettings? Settings = null,
    InferencePrecision Precision = InferencePrecision.Fp32, double? NullThreshold = null)
{
    /// <summary>A short line for the progress panel, e.g. "dev of dev-v1.1.json with albert-squad-small".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Population.Preset} of {(Population.DataFile is null ? "the data folder" : Path.GetFileName(Population.DataFile))} with {Path.GetFileName(Path.TrimEndingDirectorySeparator(ModelFolder))}");

    /// <summary>Loads the data and draws the population, the way <c>squad-albert analyze</c> does for the same choices.</summary>
    /// <exception cref="InputException">The model folder or a file is missing, a file is not SQuAD, or the population request is invalid.</exception>
    public AnalysisRequest ToRequest(SquadDataDirectory dataFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        if (!Directory.Exists(ModelFolder))
        {
            throw new InputException($"Model folder '{ModelFolder}' does not exist; set {Analysis.Configuration.DefaultModelLocator.EnvironmentVariable} or {Analysis.Configuration.DefaultModelLocator.ConfigurationKey}.");
        }
        var population = Population.Draw(file => Resolve(dataFolder, file), out var dataFiles, cancellationToken);
        return new AnalysisRequest(ModelFolder, population, dataFiles, Settings ?? DefaultSettings(ModelFolder, Precision, NullThreshold), Force);
    }

    /// <summary>The analysis defaults with the window sizes the model folder asks for, as <c>squad-albert analyze</c> uses them.</summary>
    public static AnalysisSettings DefaultSettings(string modelFolder, InferencePrecision precision = InferencePrecision.Fp32, double? nullThreshold = null)
    {
        var window = ModelWindowDefaults.For(modelFolder);
        return new AnalysisSettings(window.MaxSeqLength, window.DocStride, window.MaxQueryLength, Precision: precision, NullThreshold: nullThreshold);
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
        return new RunLaunch(run.ModelPath, new PopulationRequest(run.Preset, files[0]), Settings: settings, Precision: settings.Precision);
    }

    private static string Resolve(SquadDataDirectory dataFolder, string nameOrPath) =>
        Path.IsPathRooted(nameOrPath) || nameOrPath.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : throw new InputException($"SQuAD file '{nameOrPath}' not found.")
            : dataFolder.FindFile(nameOrPath);
}
