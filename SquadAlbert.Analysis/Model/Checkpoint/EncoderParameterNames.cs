namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// The Hugging Face names of one encoder layer's parameters (each a prefix: add <c>.weight</c> / <c>.bias</c>). The
/// roles are the same in every family; only the names differ.
/// </summary>
/// <param name="Query">Attention query projection.</param>
/// <param name="Key">Attention key projection.</param>
/// <param name="Value">Attention value projection.</param>
/// <param name="AttentionOutput">Projection of the attention context back to the hidden size.</param>
/// <param name="AttentionLayerNorm">LayerNorm after the attention residual.</param>
/// <param name="Intermediate">Feed-forward expansion (hidden → intermediate).</param>
/// <param name="Output">Feed-forward contraction (intermediate → hidden).</param>
/// <param name="OutputLayerNorm">LayerNorm after the feed-forward residual.</param>
public sealed record LayerParameterNames(
    string Query, string Key, string Value, string AttentionOutput, string AttentionLayerNorm,
    string Intermediate, string Output, string OutputLayerNorm);

/// <summary>
/// Hugging Face parameter names of <c>AlbertForQuestionAnswering</c> or <c>BertForQuestionAnswering</c>. Linear
/// weights are [out, in]. Names are prefixes of a weight/bias pair except the three embedding tables.
/// </summary>
public sealed class EncoderParameterNames
{
    public const string QaOutputs = "qa_outputs";

    private static readonly EncoderParameterNames AlbertNames = new("albert", ModelFamily.Albert);
    private static readonly EncoderParameterNames BertNames = new("bert", ModelFamily.Bert);

    private readonly ModelFamily _family;

    private EncoderParameterNames(string backbone, ModelFamily family)
    {
        Backbone = backbone;
        _family = family;
        WordEmbeddings = $"{backbone}.embeddings.word_embeddings.weight";
        PositionEmbeddings = $"{backbone}.embeddings.position_embeddings.weight";
        TokenTypeEmbeddings = $"{backbone}.embeddings.token_type_embeddings.weight";
        EmbeddingLayerNorm = $"{backbone}.embeddings.LayerNorm";
        EmbeddingProjection = family == ModelFamily.Albert ? "albert.encoder.embedding_hidden_mapping_in" : null;
    }

    public static EncoderParameterNames For(ModelFamily family) => family == ModelFamily.Albert ? AlbertNames : BertNames;

    /// <summary>The prefix of every backbone parameter (<c>albert</c> or <c>bert</c>); the QA head is outside it.</summary>
    public string Backbone { get; }

    public string WordEmbeddings { get; }

    public string PositionEmbeddings { get; }

    public string TokenTypeEmbeddings { get; }

    public string EmbeddingLayerNorm { get; }

    /// <summary>ALBERT's embedding → hidden projection; null for BERT, whose embeddings are as wide as the hidden state.</summary>
    public string? EmbeddingProjection { get; }

    /// <summary>Layer <paramref name="inner"/> of group <paramref name="group"/> (for BERT: layer <paramref name="group"/>, inner 0).</summary>
    public LayerParameterNames Layer(int group, int inner)
    {
        if (_family == ModelFamily.Bert)
        {
            var p = $"bert.encoder.layer.{group}";
            return new($"{p}.attention.self.query", $"{p}.attention.self.key", $"{p}.attention.self.value",
                $"{p}.attention.output.dense", $"{p}.attention.output.LayerNorm", $"{p}.intermediate.dense", $"{p}.output.dense", $"{p}.output.LayerNorm");
        }
        var a = $"albert.encoder.albert_layer_groups.{group}.albert_layers.{inner}";
        return new($"{a}.attention.query", $"{a}.attention.key", $"{a}.attention.value", $"{a}.attention.dense", $"{a}.attention.LayerNorm",
            $"{a}.ffn", $"{a}.ffn_output", $"{a}.full_layer_layer_norm");
    }

    /// <summary>Every parameter the QA model of <paramref name="config"/> needs, with its expected shape.</summary>
    public static IEnumerable<(string Name, int[] Shape)> Expected(EncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var names = config.ParameterNames;
        var (e, h, f) = (config.EmbeddingSize, config.HiddenSize, config.IntermediateSize);
        yield return (names.WordEmbeddings, [config.VocabSize, e]);
        yield return (names.PositionEmbeddings, [config.MaxPositionEmbeddings, e]);
        yield return (names.TokenTypeEmbeddings, [config.TypeVocabSize, e]);
        yield return (names.EmbeddingLayerNorm + ".weight", [e]);
        yield return (names.EmbeddingLayerNorm + ".bias", [e]);
        if (names.EmbeddingProjection is { } projection)
        {
            yield return (projection + ".weight", [h, e]);
            yield return (projection + ".bias", [h]);
        }
        for (var g = 0; g < config.NumHiddenGroups; g++)
        {
            for (var i = 0; i < config.InnerGroupNum; i++)
            {
                var layer = names.Layer(g, i);
                foreach (var (prefix, rows, cols) in new[]
                {
                    (layer.Query, h, h), (layer.Key, h, h), (layer.Value, h, h), (layer.AttentionOutput, h, h),
                    (layer.Intermediate, f, h), (layer.Output, h, f),
                })
                {
                    yield return (prefix + ".weight", [rows, cols]);
                    yield return (prefix + ".bias", [rows]);
                }
                foreach (var norm in new[] { layer.AttentionLayerNorm, layer.OutputLayerNorm })
                {
                    yield return (norm + ".weight", [h]);
                    yield return (norm + ".bias", [h]);
                }
            }
        }
        yield return (QaOutputs + ".weight", [2, h]);
        yield return (QaOutputs + ".bias", [2]);
    }
}
