using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// The "Start a run" form of the Runs page: what the user typed, turned into a <see cref="RunLaunch"/> or a message
/// naming the field that is wrong. The population rules are <see cref="PopulationRequest.Validate"/>'s; the form only
/// reads its text fields.
/// </summary>
public sealed class RunLaunchForm
{
    /// <summary>Value of <see cref="DataFile"/> that means "the data folder".</summary>
    public const string DataFolderChoice = "";

    public string ModelFolder { get; set; } = "";

    /// <summary>A file of the data folder, <see cref="DataFolderChoice"/> for the whole folder.</summary>
    public string DataFile { get; set; } = DataFolderChoice;

    /// <summary>A SQuAD file anywhere on disk; when set it wins over <see cref="DataFile"/>.</summary>
    public string DataPath { get; set; } = "";

    public string Preset { get; set; } = PopulationPresets.DevPreset;

    public string SplitName { get; set; } = PopulationPresets.ValidationSplit;

    public string SplitFile { get; set; } = SquadFiles.DevV11;

    /// <summary>Questions to sample; blank for all.</summary>
    public string SplitSize { get; set; } = "";

    /// <summary>Titles separated by ';'; blank for every title.</summary>
    public string SplitTitles { get; set; } = "";

    /// <summary>Seeds the sampling of the tensorleap and custom presets; the same seed draws the same questions.</summary>
    public ulong Seed { get; set; } = PopulationPresets.DefaultSeed;

    public bool Force { get; set; }

    /// <summary>The arithmetic of the forward graph (fp32 or int8); recorded in the run's settings.</summary>
    public InferencePrecision Precision { get; set; } = InferencePrecision.Fp32;

    /// <summary>"1.1" or "2.0": which data-folder files the dev and tensorleap presets read (<see cref="PopulationRequest.SquadVersion"/>).</summary>
    public string SquadVersion { get; set; } = PopulationRequest.Version11;

    /// <summary>The SQuAD 2.0 no-answer threshold (<see cref="AnalysisSettings.NullThreshold"/>); blank for the model
    /// folder's <c>null_score_diff_threshold</c>, else 0.0. Ignored for a v1.1 population.</summary>
    public string NullThreshold { get; set; } = "";

    public bool IsCustom => Preset == PopulationPresets.CustomPreset;

    /// <summary>The version choice applies to the presets that read data-folder files.</summary>
    public bool OffersSquadVersion => !IsCustom;

    /// <summary>The launch, or null with <paramref name="problem"/> naming the field to fix.</summary>
    public RunLaunch? ToLaunch(out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(ModelFolder))
        {
            problem = "Model folder: give the folder of the model to analyse.";
            return null;
        }
        var file = !string.IsNullOrWhiteSpace(DataPath) ? DataPath.Trim() : DataFile == DataFolderChoice ? null : DataFile;
        IReadOnlyList<SplitRequest>? splits = null;
        if (IsCustom)
        {
            int? size = null;
            if (!string.IsNullOrWhiteSpace(SplitSize))
            {
                if (!int.TryParse(SplitSize.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    problem = $"Custom split size: '{SplitSize}' is not a whole number (leave it blank for all questions).";
                    return null;
                }
                size = number;
            }
            var titles = SplitTitles.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            splits = [new SplitRequest(SplitName.Trim(), SplitFile.Trim(), size, titles.Length == 0 ? null : titles)];
        }
        double? nullThreshold = null;
        if (!string.IsNullOrWhiteSpace(NullThreshold))
        {
            if (!double.TryParse(NullThreshold.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
            {
                problem = $"Null threshold: '{NullThreshold}' is not a number (leave it blank for the model's, else 0.0).";
                return null;
            }
            nullThreshold = threshold;
        }
        var population = new PopulationRequest(Preset, file, Seed, splits, IsCustom ? PopulationRequest.Version11 : SquadVersion);
        try
        {
            population.Validate();
        }
        catch (InputException e)
        {
            problem = e.Message;
            return null;
        }
        return new RunLaunch(ModelFolder.Trim(), population, Force, Precision: Precision, NullThreshold: nullThreshold);
    }
}
