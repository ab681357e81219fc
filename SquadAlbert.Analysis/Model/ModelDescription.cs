using System.Globalization;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;

namespace SquadAlbert.Analysis.Model;

/// <summary>
/// One line saying which kind of model a folder holds, for the places a user picks or reads about a model (the run
/// form, the runs table, the sample page): family, layers × width, tokenizer.
/// </summary>
public static class ModelDescription
{
    /// <summary>
    /// E.g. "BERT · 6 layers × 384 · WordPiece 30,522" or "ALBERT · 6 repetitions of 1 shared layer × 256 · SentencePiece
    /// 8,000"; "ONNX export" for a folder with only <c>model.onnx</c>; a short reason when the folder cannot be read.
    /// </summary>
    public static string Describe(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        var configPath = Path.Combine(modelFolder, EncoderConfig.FileName);
        if (!File.Exists(configPath))
        {
            return File.Exists(Path.Combine(modelFolder, QaModelSession.OnnxFileName)) ? "ONNX export" : "model folder not found";
        }
        try
        {
            return Describe(EncoderConfig.Load(configPath));
        }
        catch (InputException e)
        {
            return e.Message;
        }
    }

    public static string Describe(EncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = CultureInfo.InvariantCulture;
        return config.Family == ModelFamily.Bert
            ? string.Create(c, $"BERT · {config.NumHiddenLayers} layers × {config.HiddenSize} · WordPiece {config.VocabSize:N0}")
            : string.Create(c, $"ALBERT · {config.NumHiddenLayers} repetitions of {config.NumHiddenGroups * config.InnerGroupNum} shared layer(s) × {config.HiddenSize} · SentencePiece {config.VocabSize:N0}");
    }
}
