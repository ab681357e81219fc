using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Training.Model;

/// <summary>
/// The architecture (<see cref="EncoderConfig"/>, shared with the ONNX runner) plus the Hugging Face
/// <c>EncoderConfig</c> fields that only matter for training: dropout rates and the initialiser's standard deviation.
/// All of them live in one <c>config.json</c>.
/// </summary>
public sealed record EncoderTrainingConfig(
    EncoderConfig Architecture,
    double HiddenDropoutProb = 0.0,
    double AttentionProbsDropoutProb = 0.0,
    double InitializerRange = 0.02)
{
    /// <summary>Writes <c>config.json</c>: the architecture fields and the training fields.</summary>
    public void Save(string path)
    {
        Architecture.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["hidden_dropout_prob"] = HiddenDropoutProb;
        json["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        json["initializer_range"] = InitializerRange;
        json["pad_token_id"] = 0;
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads <c>config.json</c>; the training fields default to Hugging Face's ALBERT defaults when absent.</summary>
    public static EncoderTrainingConfig Load(string path)
    {
        var architecture = EncoderConfig.Load(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        double Optional(string field, double fallback, double max)
        {
            if (!json.TryGetPropertyValue(field, out var node) || node is null)
            {
                return fallback;
            }
            if (node is not JsonValue value || !value.TryGetValue<double>(out var number) || number < 0 || number > max)
            {
                throw new InputException(
                    $"{path}: field '{field}' must be a number in [0, {max.ToString(CultureInfo.InvariantCulture)}], got {node.ToJsonString()}.");
            }
            return number;
        }
        return new EncoderTrainingConfig(
            architecture,
            Optional("hidden_dropout_prob", 0.0, 1.0),
            Optional("attention_probs_dropout_prob", 0.0, 1.0),
            Optional("initializer_range", 0.02, double.MaxValue));
    }
}
