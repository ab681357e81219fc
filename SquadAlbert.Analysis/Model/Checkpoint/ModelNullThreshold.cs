using System.Text.Json;
using System.Text.Json.Nodes;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// The no-answer threshold of SQuAD 2.0 post-processing (Hugging Face's <c>null_score_diff_threshold</c>: answer
/// <c>""</c> when null score − best span score exceeds it). A model folder may record the value it was tuned with as the
/// field <c>null_score_diff_threshold</c> of its <c>config.json</c> (Hugging Face keeps unknown config fields); the
/// <c>--null-threshold</c> option overrides it, and without either it is 0.0, Hugging Face's default.
/// </summary>
public static class ModelNullThreshold
{
    public const string FieldName = "null_score_diff_threshold";

    public const double Default = 0.0;

    /// <summary>The option when given, else the folder's setting, else <see cref="Default"/>.</summary>
    /// <exception cref="InputException">The folder's setting is present but not a finite number.</exception>
    public static double Resolve(double? option, string modelFolder) => option ?? Read(modelFolder) ?? Default;

    /// <summary>The folder's <c>config.json</c> field; null when the file or the field is absent.</summary>
    /// <exception cref="InputException">The file is not JSON or the field is not a finite number.</exception>
    public static double? Read(string modelFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelFolder);
        var path = Path.Combine(modelFolder, EncoderConfig.FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not valid JSON ({e.Message})");
        }
        var field = root is JsonObject obj ? obj[FieldName] : null;
        if (field is null)
        {
            return null;
        }
        if (field is JsonValue value && value.TryGetValue(out double number) && double.IsFinite(number))
        {
            return number;
        }
        throw new InputException($"{path}: field '{FieldName}' must be a number (got {field.ToJsonString()})");
    }
}
