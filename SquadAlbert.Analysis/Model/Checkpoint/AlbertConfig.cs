using System.Text.Json;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>ALBERT's feed-forward activation: <c>gelu_new</c> (tanh approximation) or exact <c>gelu</c> (erf).</summary>
public enum AlbertActivation
{
    GeluTanh,
    GeluErf,
}

/// <summary>
/// The architecture fields of a Hugging Face <c>config.json</c> for ALBERT. Layer sharing follows Hugging Face:
/// repetition <c>i</c> of <see cref="NumHiddenLayers"/> runs group <c>i / (NumHiddenLayers / NumHiddenGroups)</c>,
/// and each group applies its <see cref="InnerGroupNum"/> layers in order.
/// </summary>
public sealed record AlbertConfig(
    int VocabSize,
    int EmbeddingSize,
    int HiddenSize,
    int NumHiddenLayers,
    int NumHiddenGroups,
    int InnerGroupNum,
    int NumAttentionHeads,
    int IntermediateSize,
    AlbertActivation HiddenAct,
    int MaxPositionEmbeddings,
    int TypeVocabSize,
    double LayerNormEps)
{
    public const string FileName = "config.json";

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>The layer group that repetition <paramref name="repetition"/> (0-based) runs.</summary>
    public int GroupOfRepetition(int repetition) => repetition / (NumHiddenLayers / NumHiddenGroups);

    /// <summary>Reads and validates <c>config.json</c>; every problem names the file and the field.</summary>
    public static AlbertConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: model config not found (expected a Hugging Face config.json).");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InputException($"{path}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}: {ex.Message}", ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"{path}: expected a JSON object at the top level.");
            }
            var root = doc.RootElement;
            int Int(string field) => ReadInt(path, root, field);
            var config = new AlbertConfig(
                VocabSize: Int("vocab_size"),
                EmbeddingSize: Int("embedding_size"),
                HiddenSize: Int("hidden_size"),
                NumHiddenLayers: Int("num_hidden_layers"),
                NumHiddenGroups: Int("num_hidden_groups"),
                InnerGroupNum: Int("inner_group_num"),
                NumAttentionHeads: Int("num_attention_heads"),
                IntermediateSize: Int("intermediate_size"),
                HiddenAct: ReadActivation(path, root),
                MaxPositionEmbeddings: Int("max_position_embeddings"),
                TypeVocabSize: Int("type_vocab_size"),
                LayerNormEps: ReadDouble(path, root, "layer_norm_eps"));
            config.Validate(path);
            return config;
        }
    }

    /// <summary>Checks the relations between fields; <paramref name="source"/> names the file in errors.</summary>
    public void Validate(string source)
    {
        void Positive(string field, double value)
        {
            if (!(value > 0))
            {
                throw new InputException($"{source}: field '{field}' must be positive, got {value}.");
            }
        }
        Positive("vocab_size", VocabSize);
        Positive("embedding_size", EmbeddingSize);
        Positive("hidden_size", HiddenSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_hidden_groups", NumHiddenGroups);
        Positive("inner_group_num", InnerGroupNum);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("intermediate_size", IntermediateSize);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        Positive("type_vocab_size", TypeVocabSize);
        Positive("layer_norm_eps", LayerNormEps);
        if (HiddenSize % NumAttentionHeads != 0)
        {
            throw new InputException(
                $"{source}: field 'hidden_size' ({HiddenSize}) must be divisible by 'num_attention_heads' ({NumAttentionHeads}).");
        }
        if (NumHiddenLayers % NumHiddenGroups != 0)
        {
            throw new InputException(
                $"{source}: field 'num_hidden_layers' ({NumHiddenLayers}) must be divisible by 'num_hidden_groups' ({NumHiddenGroups}).");
        }
    }

    /// <summary>Writes the fields this record knows as a Hugging Face style <c>config.json</c>.</summary>
    public void Save(string path)
    {
        var fields = new Dictionary<string, object>
        {
            ["architectures"] = new[] { "AlbertForQuestionAnswering" },
            ["model_type"] = "albert",
            ["vocab_size"] = VocabSize,
            ["embedding_size"] = EmbeddingSize,
            ["hidden_size"] = HiddenSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_hidden_groups"] = NumHiddenGroups,
            ["inner_group_num"] = InnerGroupNum,
            ["num_attention_heads"] = NumAttentionHeads,
            ["intermediate_size"] = IntermediateSize,
            ["hidden_act"] = HiddenAct == AlbertActivation.GeluTanh ? "gelu_new" : "gelu",
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["type_vocab_size"] = TypeVocabSize,
            ["layer_norm_eps"] = LayerNormEps,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(fields, IndentedJson));
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static JsonElement Field(string path, JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            throw new InputException($"{path}: required field '{field}' is missing.");
        }
        return value;
    }

    private static int ReadInt(string path, JsonElement root, string field)
    {
        var value = Field(path, root, field);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
        {
            throw new InputException($"{path}: field '{field}' must be an integer, got {value.GetRawText()}.");
        }
        return result;
    }

    private static double ReadDouble(string path, JsonElement root, string field)
    {
        var value = Field(path, root, field);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new InputException($"{path}: field '{field}' must be a number, got {value.GetRawText()}.");
        }
        return value.GetDouble();
    }

    private static AlbertActivation ReadActivation(string path, JsonElement root)
    {
        var value = Field(path, root, "hidden_act");
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "gelu_new" or "gelu_pytorch_tanh" => AlbertActivation.GeluTanh,
            "gelu" => AlbertActivation.GeluErf,
            _ => throw new InputException(
                $"{path}: field 'hidden_act' is {value.GetRawText()}; supported: \"gelu_new\" (tanh GELU) or \"gelu\" (exact GELU)."),
        } : throw new InputException($"{path}: field 'hidden_act' must be a string, got {value.GetRawText()}.");
    }
}
