namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>Hugging Face parameter names of <c>AlbertForQuestionAnswering</c>. Linear weights are [out, in].</summary>
public static class AlbertParameterNames
{
    public const string WordEmbeddings = "albert.embeddings.word_embeddings.weight";
    public const string PositionEmbeddings = "albert.embeddings.position_embeddings.weight";
    public const string TokenTypeEmbeddings = "albert.embeddings.token_type_embeddings.weight";
    public const string EmbeddingLayerNorm = "albert.embeddings.LayerNorm";
    public const string EmbeddingMapping = "albert.encoder.embedding_hidden_mapping_in";
    public const string QaOutputs = "qa_outputs";

    /// <summary>Prefix of layer <paramref name="inner"/> of group <paramref name="group"/>.</summary>
    public static string Layer(int group, int inner) => $"albert.encoder.albert_layer_groups.{group}.albert_layers.{inner}";

    /// <summary>Every parameter the QA model needs, with its expected shape.</summary>
    public static IEnumerable<(string Name, int[] Shape)> Expected(AlbertConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (e, h, f) = (config.EmbeddingSize, config.HiddenSize, config.IntermediateSize);
        yield return (WordEmbeddings, [config.VocabSize, e]);
        yield return (PositionEmbeddings, [config.MaxPositionEmbeddings, e]);
        yield return (TokenTypeEmbeddings, [config.TypeVocabSize, e]);
        yield return (EmbeddingLayerNorm + ".weight", [e]);
        yield return (EmbeddingLayerNorm + ".bias", [e]);
        yield return (EmbeddingMapping + ".weight", [h, e]);
        yield return (EmbeddingMapping + ".bias", [h]);
        for (var g = 0; g < config.NumHiddenGroups; g++)
        {
            for (var i = 0; i < config.InnerGroupNum; i++)
            {
                var p = Layer(g, i);
                foreach (var proj in new[] { "query", "key", "value", "dense" })
                {
                    yield return ($"{p}.attention.{proj}.weight", [h, h]);
                    yield return ($"{p}.attention.{proj}.bias", [h]);
                }
                yield return ($"{p}.attention.LayerNorm.weight", [h]);
                yield return ($"{p}.attention.LayerNorm.bias", [h]);
                yield return ($"{p}.ffn.weight", [f, h]);
                yield return ($"{p}.ffn.bias", [f]);
                yield return ($"{p}.ffn_output.weight", [h, f]);
                yield return ($"{p}.ffn_output.bias", [h]);
                yield return ($"{p}.full_layer_layer_norm.weight", [h]);
                yield return ($"{p}.full_layer_layer_norm.bias", [h]);
            }
        }
        yield return (QaOutputs + ".weight", [2, h]);
        yield return (QaOutputs + ".bias", [2]);
    }
}

/// <summary>
/// A Hugging Face ALBERT QA model folder: <c>config.json</c>, <c>model.safetensors</c>, <c>spiece.model</c>.
/// Loading checks that every parameter exists with the shape the config implies.
/// </summary>
public sealed class AlbertCheckpoint
{
    public const string WeightsFileName = "model.safetensors";
    public const string SentencePieceFileName = "spiece.model";

    private readonly IReadOnlyDictionary<string, FloatTensor> _tensors;

    public AlbertCheckpoint(AlbertConfig config, IReadOnlyDictionary<string, FloatTensor> tensors, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        config.Validate(source);
        foreach (var (name, shape) in AlbertParameterNames.Expected(config))
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                throw new InputException($"{source}: missing tensor '{name}' (expected shape [{string.Join(", ", shape)}]).");
            }
            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new InputException(
                    $"{source}: tensor '{name}' has shape {tensor.ShapeText}, but config.json implies [{string.Join(", ", shape)}].");
            }
        }
        Config = config;
        _tensors = tensors;
    }

    public AlbertConfig Config { get; }

    /// <summary>The tensor called <paramref name="name"/> (a Hugging Face parameter name).</summary>
    public FloatTensor this[string name] => _tensors[name];

    /// <summary>Loads <c>config.json</c> and <c>model.safetensors</c> (or else <c>pytorch_model.bin</c>) from <paramref name="directory"/>.</summary>
    public static AlbertCheckpoint Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException($"{directory}: model folder not found.");
        }
        var config = AlbertConfig.Load(Path.Combine(directory, AlbertConfig.FileName));
        var weights = CheckpointWeights.Read(directory);
        return new AlbertCheckpoint(config, weights.Tensors, weights.Path);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Config.Save(Path.Combine(directory, AlbertConfig.FileName));
        SafeTensors.Write(
            Path.Combine(directory, WeightsFileName),
            AlbertParameterNames.Expected(Config).ToDictionary(p => p.Name, p => _tensors[p.Name]));
    }

    /// <summary>A randomly initialised model (normal(0, <paramref name="scale"/>) weights, LayerNorm gains near 1),
    /// for tests and benchmarks.</summary>
    public static AlbertCheckpoint Random(AlbertConfig config, int seed, float scale = 0.2f)
    {
        ArgumentNullException.ThrowIfNull(config);
        var random = new Random(seed);
        var tensors = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in AlbertParameterNames.Expected(config))
        {
            var data = new float[FloatTensor.ElementCount(shape)];
            var isGain = name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) || name.EndsWith("layer_norm.weight", StringComparison.Ordinal);
            for (var i = 0; i < data.Length; i++)
            {
                // Box-Muller normal sample.
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                data[i] = (isGain ? 1f : 0f) + (float)(scale * normal);
            }
            tensors[name] = new FloatTensor(shape, data);
        }
        return new AlbertCheckpoint(config, tensors);
    }
}
