using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// Window sizes a model folder should be run with when the user gives none. A model only saw positions below the
/// length it was trained on (its other position embeddings are untrained), so the Hugging Face
/// <c>tokenizer_config.json</c> field <c>model_max_length</c> caps the window: max length = min(384,
/// model_max_length), doc stride = min(128, max length / 3), max query = min(64, max length / 4). For 384 this is
/// the usual 384 / 128 / 64; for our 192-token default model 192 / 64 / 48, what it was trained with.
/// </summary>
public static class ModelWindowDefaults
{
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary><c>model_max_length</c> of the folder's <c>tokenizer_config.json</c>; null when the file or field is absent.</summary>
    /// <exception cref="InputException">The file is not JSON or the field is not a positive integer.</exception>
    public static int? ModelMaxLength(string modelFolder)
    {
        var path = Path.Combine(modelFolder, TokenizerConfigFileName);
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
        var field = root?["model_max_length"];
        if (field is null)
        {
            return null;
        }
        // Hugging Face writes 1e30 for "no limit": treat anything beyond int as absent.
        if (field is JsonValue value && value.TryGetValue(out double number) && number >= 1 && number == Math.Floor(number))
        {
            return number > int.MaxValue ? null : (int)number;
        }
        throw new InputException($"{path}: field 'model_max_length' must be a positive integer (got {field.ToJsonString()})");
    }

    /// <summary>The featurizer options for <paramref name="modelFolder"/> (see the class summary).</summary>
    public static QaFeaturizerOptions For(string modelFolder) => ForMaxLength(ModelMaxLength(modelFolder));

    public static QaFeaturizerOptions ForMaxLength(int? modelMaxLength)
    {
        var standard = QaFeaturizerOptions.Default;
        var maxLength = Math.Min(standard.MaxSeqLength, modelMaxLength ?? standard.MaxSeqLength);
        return new QaFeaturizerOptions(maxLength, Math.Min(standard.DocStride, maxLength / 3), Math.Min(standard.MaxQueryLength, maxLength / 4));
    }

    /// <summary>Writes <c>tokenizer_config.json</c> the way Hugging Face's AlbertTokenizer or BertTokenizer saves it
    /// (lower-cased; ALBERT also strips accents).</summary>
    public static void Write(string modelFolder, ModelFamily family, int modelMaxLength)
    {
        var tokenizerConfig = family == ModelFamily.Albert
            ? new JsonObject
            {
                ["tokenizer_class"] = "AlbertTokenizer",
                ["do_lower_case"] = true,
                ["keep_accents"] = false,
                ["remove_space"] = true,
                ["model_max_length"] = modelMaxLength,
                ["bos_token"] = "[CLS]",
                ["eos_token"] = "[SEP]",
                ["unk_token"] = "<unk>",
                ["sep_token"] = "[SEP]",
                ["pad_token"] = "<pad>",
                ["cls_token"] = "[CLS]",
                ["mask_token"] = "[MASK]",
            }
            : new JsonObject
            {
                ["tokenizer_class"] = "BertTokenizer",
                ["do_lower_case"] = true,
                ["tokenize_chinese_chars"] = true,
                ["model_max_length"] = modelMaxLength,
                ["unk_token"] = "[UNK]",
                ["sep_token"] = "[SEP]",
                ["pad_token"] = "[PAD]",
                ["cls_token"] = "[CLS]",
                ["mask_token"] = "[MASK]",
            };
        File.WriteAllText(Path.Combine(modelFolder, TokenizerConfigFileName), tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
