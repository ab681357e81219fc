using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Dashboard.Features.Runs;

public enum FirstStartKind
{
    /// <summary>Runs exist: no first-start card.</summary>
    None,
    /// <summary>The default model and dev-v1.1.json are both there: one click analyses dev.</summary>
    Ready,
    /// <summary>No usable model folder; <see cref="FirstStartOffer.Problem"/> says which setting to set.</summary>
    MissingModel,
    /// <summary>No dev-v1.1.json in the data folder; <see cref="FirstStartOffer.Problem"/> says where it looked.</summary>
    MissingData,
}

/// <summary>What the Runs page offers when the database has no run yet.</summary>
public sealed record FirstStartOffer(FirstStartKind Kind, string? ModelFolder, string? DevFile, string? Problem)
{
    public static readonly FirstStartOffer None = new(FirstStartKind.None, null, null, null);

    /// <param name="model">The resolved default model, or null with <paramref name="modelProblem"/> from <see cref="ModelSetting.Resolve"/>.</param>
    public static FirstStartOffer Evaluate(int runCount, ResolvedSetting? model, string? modelProblem, SquadDataDirectory dataFolder)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        if (runCount > 0)
        {
            return None;
        }
        var howToSet = $"Set the {DefaultModelLocator.EnvironmentVariable} environment variable or {DefaultModelLocator.ConfigurationKey} in appsettings.json " +
            "to a folder holding spiece.model with config.json + model.safetensors (or model.onnx).";
        if (model is null)
        {
            return new FirstStartOffer(FirstStartKind.MissingModel, null, null, $"{modelProblem} {howToSet}");
        }
        if (!Directory.Exists(model.Path) || !File.Exists(Path.Combine(model.Path, "spiece.model")))
        {
            return new FirstStartOffer(FirstStartKind.MissingModel, model.Path, null,
                $"The model folder '{model.Path}' (from {model.Label}) {(Directory.Exists(model.Path) ? "has no spiece.model" : "does not exist")}. {howToSet}");
        }
        var dev = Path.Combine(dataFolder.Path, SquadFiles.DevV11);
        if (!File.Exists(dev))
        {
            return new FirstStartOffer(FirstStartKind.MissingData, model.Path, null,
                $"No {SquadFiles.DevV11} in the data folder '{dataFolder.Path}'. Set {SquadDataLocator.EnvironmentVariable} or {SquadDataLocator.ConfigurationKey}, " +
                "or run 'squad-albert download'.");
        }
        return new FirstStartOffer(FirstStartKind.Ready, model.Path, dev, null);
    }

    /// <summary>The launch behind the card's button.</summary>
    public RunLaunch Launch() => Kind == FirstStartKind.Ready
        ? new RunLaunch(ModelFolder!, DevFile!, PopulationPresets.DevPreset)
        : throw new InvalidOperationException($"Nothing to launch: {Kind}.");
}
