using System.Text.Json;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>The feed-forward activation: <c>gelu_new</c> (tanh approximation) or exact <c>gelu</c> (erf).</summary>
public enum EncoderActivation
{
    GeluTanh,
    GeluErf,
}

/// <summary>The checkpoint families a model folder can hold (Hugging Face <c>model_type</c>).</summary>
public enum ModelFamily
{
    /// <summary><c>albert</c>: factorised embeddings and layer groups shared across repetitions; SentencePiece.</summary>
    Albert,

    /// <summary><c>bert</c> (and BERT-shaped encoders such as MiniLM): one layer per repetition; WordPiece.</summary>
    Bert,
}

/// <summary>
/// The architecture fields of a Hugging Face <c>config.json</c> for a post-LayerNorm BERT-family encoder. ALBERT is
/// the general case: layer sharing follows Hugging Face — repetition <c>i</c> of <see cref="NumHiddenLayers"/> runs
/// group <c>i / (NumHiddenLayers / NumHiddenGroups)</c>, each group applies its <see cref="InnerGroupNum"/> layers in
/// order, and the embeddings (<see cref="EmbeddingSize"/> wide) are projected to <see cref="HiddenSize"/>. BERT is
/// the special case with one group per repetition, one layer per group and embeddings as wide as the hidden
/// state (no projection): <see cref="Bert"/> builds it, so every consumer walks one layer loop for both families.
/// </summary>
public sealed record EncoderConfig(
    int VocabSize,
    int EmbeddingSize,
    int HiddenSize,
    int NumHiddenLayers,
    int NumHiddenGroups,
    int InnerGroupNum,
    int NumAttentionHeads,
    int IntermediateSize,
    EncoderActivation HiddenAct,
    int MaxPositionEmbeddings,
    int TypeVocabSize,
    double LayerNormEps,
    ModelFamily Family = ModelFamily.Albert)
{
    public const string FileName = "config.json";

    /// <summary>Upper bounds that keep a hostile or mistyped config from unrolling a graph until memory runs out.</summary>
    public const int MaxLayers = 256;
    public const int MaxWidth = 16_384;
    public const int MaxHeads = 256;
    public const int MaxIntermediateSize = 65_536;
    public const int MaxVocabularySize = 1_000_000;
    public const int MaxPositions = 65_536;
    public const int MaxTokenTypes = 1_024;

    /// <summary>A BERT encoder in this description (see the type summary).</summary>
    public static EncoderConfig Bert(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
        EncoderActivation hiddenAct, int maxPositionEmbeddings, int typeVocabSize, double layerNormEps) =>
        new(vocabSize, hiddenSize, hiddenSize, numHiddenLayers, numHiddenLayers, 1, numAttentionHeads, intermediateSize, hiddenAct,
            maxPositionEmbeddings, typeVocabSize, layerNormEps, ModelFamily.Bert);

    /// <summary>The Hugging Face parameter names of this family.</summary>
    public EncoderParameterNames ParameterNames => EncoderParameterNames.For(Family);

    /// <summary>Whether the embeddings are projected to the hidden size (ALBERT's factorised embeddings).</summary>
    public bool HasEmbeddingProjection => Family == ModelFamily.Albert;

    /// <summary>Hugging Face's <c>model_type</c> for <see cref="Family"/>.</summary>
    public string ModelType => Family == ModelFamily.Albert ? "albert" : "bert";

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>The layer group that repetition <paramref name="repetition"/> (0-based) runs.</summary>
    public int GroupOfRepetition(int repetition) => repetition / (NumHiddenLayers / NumHiddenGroups);

    /// <summary>Reads and validates <c>config.json</c>; every problem names the file and the field.</summary>
    public static EncoderConfig Load(string path)
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
            var family = ReadFamily(path, root);
            var config = family == ModelFamily.Bert ? Bert(
                vocabSize: Int("vocab_size"),
                hiddenSize: Int("hidden_size"),
                numHiddenLayers: Int("num_hidden_layers"),
                numAttentionHeads: Int("num_attention_heads"),
                intermediateSize: Int("intermediate_size"),
                hiddenAct: ReadActivation(path, root),
                maxPositionEmbeddings: Int("max_position_embeddings"),
                typeVocabSize: Int("type_vocab_size"),
                layerNormEps: ReadDouble(path, root, "layer_norm_eps")) : new EncoderConfig(
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
        // hidden_size before embedding_size: a BERT file has no embedding_size (it is the hidden size), so a bad
        // hidden_size must be reported under its own name.
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("embedding_size", EmbeddingSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_hidden_groups", NumHiddenGroups);
        Positive("inner_group_num", InnerGroupNum);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("intermediate_size", IntermediateSize);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        Positive("type_vocab_size", TypeVocabSize);
        Positive("layer_norm_eps", LayerNormEps);
        void AtMost(string field, long value, long max)
        {
            if (value > max)
            {
                throw new InputException($"{source}: field '{field}' is {value}; at most {max} is supported.");
            }
        }
        AtMost("vocab_size", VocabSize, MaxVocabularySize);
        AtMost("hidden_size", HiddenSize, MaxWidth);
        AtMost("embedding_size", EmbeddingSize, MaxWidth);
        AtMost("num_attention_heads", NumAttentionHeads, MaxHeads);
        AtMost("intermediate_size", IntermediateSize, MaxIntermediateSize);
        AtMost("max_position_embeddings", MaxPositionEmbeddings, MaxPositions);
        AtMost("type_vocab_size", TypeVocabSize, MaxTokenTypes);
        AtMost("num_hidden_layers × inner_group_num", (long)NumHiddenLayers * InnerGroupNum, MaxLayers);
        AtMost("num_hidden_groups × inner_group_num", (long)NumHiddenGroups * InnerGroupNum, MaxLayers);
        if (Family == ModelFamily.Bert && (EmbeddingSize != HiddenSize || NumHiddenGroups != NumHiddenLayers || InnerGroupNum != 1))
        {
            throw new InputException($"{source}: a BERT encoder has embeddings as wide as the hidden state and one layer per repetition.");
        }
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
            ["architectures"] = new[] { Family == ModelFamily.Albert ? "AlbertForQuestionAnswering" : "BertForQuestionAnswering" },
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
        };
        if (Family == ModelFamily.Albert)
        {
            fields["embedding_size"] = EmbeddingSize;
        }
        fields["hidden_size"] = HiddenSize;
        fields["num_hidden_layers"] = NumHiddenLayers;
        if (Family == ModelFamily.Albert)
        {
            fields["num_hidden_groups"] = NumHiddenGroups;
            fields["inner_group_num"] = InnerGroupNum;
        }
        foreach (var (key, value) in new Dictionary<string, object>
        {
            ["num_attention_heads"] = NumAttentionHeads,
            ["intermediate_size"] = IntermediateSize,
            ["hidden_act"] = HiddenAct == EncoderActivation.GeluTanh ? "gelu_new" : "gelu",
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["type_vocab_size"] = TypeVocabSize,
            ["layer_norm_eps"] = LayerNormEps,
        })
        {
            fields[key] = value;
        }
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

    private static ModelFamily ReadFamily(string path, JsonElement root)
    {
        if (!root.TryGetProperty("model_type", out var value))
        {
            throw new InputException($"{path}: required field 'model_type' is missing; supported: \"albert\" or \"bert\".");
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "albert" => ModelFamily.Albert,
            "bert" => ModelFamily.Bert,
            _ => throw new InputException($"{path}: field 'model_type' is {value.GetRawText()}; supported: \"albert\" or \"bert\"."),
        } : throw new InputException($"{path}: field 'model_type' must be a string, got {value.GetRawText()}.");
    }

    private static EncoderActivation ReadActivation(string path, JsonElement root)
    {
        var value = Field(path, root, "hidden_act");
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "gelu_new" or "gelu_pytorch_tanh" => EncoderActivation.GeluTanh,
            "gelu" => EncoderActivation.GeluErf,
            _ => throw new InputException(
                $"{path}: field 'hidden_act' is {value.GetRawText()}; supported: \"gelu_new\" (tanh GELU) or \"gelu\" (exact GELU)."),
        } : throw new InputException($"{path}: field 'hidden_act' must be a string, got {value.GetRawText()}.");
    }
}
