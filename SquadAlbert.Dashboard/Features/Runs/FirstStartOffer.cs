using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Dashboard.Features.Runs;

public enum FirstStartKind
{
    /// <summary>Runs exist: no first-start card.</summary>
    None,
    /// <summary>The default model and dev-v1.1.json are both there: one click analyses dev.</summary>
    Ready,
    /// <summary>No usable model folder; <see cref="FirstStartOffer.Problem"/> says which setting to set.</summary>
    MissingModel,
    /// <summary>No dev-v1.1.json in the data folder; <see cref="FirstStartOffer.Problem"/> says where it looked, and the card
    /// offers to download it into <see cref="FirstStartOffer.DataFolder"/>.</summary>
    MissingData,
}

/// <summary>What the Runs page offers when the database has no run yet.</summary>
public sealed record FirstStartOffer(FirstStartKind Kind, string? ModelFolder, string? DevFile, string? Problem)
{
    /// <summary>Where the dev file belongs (with <see cref="FirstStartKind.MissingData"/>).</summary>
    public string? DataFolder { get; init; }

    /// <summary>The official file the card offers to download, or null when nothing is missing from the data folder.</summary>
    public SquadOfficialFile? Download => Kind == FirstStartKind.MissingData ? SquadFiles.OfficialDevV11 : null;

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
            $"to a model folder: config.json with model.safetensors (or pytorch_model.bin, or model.onnx) and its tokenizer, " +
            $"{ModelTokenizer.SentencePieceFileName} (ALBERT) or {ModelTokenizer.VocabularyFileName} (BERT).";
        if (model is null)
        {
            return new FirstStartOffer(FirstStartKind.MissingModel, null, null, $"{modelProblem} {howToSet}");
        }
        if (!Directory.Exists(model.Path) || !ModelTokenizer.HasTokenizerFile(model.Path))
        {
            return new FirstStartOffer(FirstStartKind.MissingModel, model.Path, null,
                $"The model folder '{model.Path}' (from {model.Label}) {(Directory.Exists(model.Path) ? "has no tokenizer" : "does not exist")}. {howToSet}");
        }
        var dev = Path.Combine(dataFolder.Path, SquadFiles.DevV11);
        if (!File.Exists(dev))
        {
            return new FirstStartOffer(FirstStartKind.MissingData, model.Path, null,
                $"No {SquadFiles.DevV11} in the data folder '{dataFolder.Path}'. Set {SquadDataLocator.EnvironmentVariable} or {SquadDataLocator.ConfigurationKey}, " +
                "run 'squad-albert download', or download it here.") { DataFolder = dataFolder.Path };
        }
        return new FirstStartOffer(FirstStartKind.Ready, model.Path, dev, null);
    }

    /// <summary>The launch behind the card's button.</summary>
    public RunLaunch Launch() => Kind == FirstStartKind.Ready
        ? new RunLaunch(ModelFolder!, new PopulationRequest(PopulationPresets.DevPreset, DevFile!))
        : throw new InvalidOperationException($"Nothing to launch: {Kind}.");
}
