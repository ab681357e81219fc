using SquadAlbert.Analysis.Model.Checkpoint;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Model;

/// <summary>Start and end logits, each [batch, seq].</summary>
public sealed record QaLogits(Tensor Start, Tensor End);

/// <summary>
/// Hugging Face <c>AlbertForQuestionAnswering</c> in TorchSharp. Submodules are registered under Hugging Face's
/// names, so <c>named_parameters()</c> yields exactly the keys of a Hugging Face checkpoint
/// (<see cref="AlbertParameterNames.Expected"/>), and the math follows <c>modeling_albert.py</c> (eager attention).
/// </summary>
public sealed class AlbertQaModel : nn.Module
{
    private readonly AlbertEmbeddings _embeddings;
    private readonly AlbertEncoder _encoder;
    private readonly Linear _qaOutputs;

    public AlbertQaModel(AlbertTrainingConfig config) : base("AlbertForQuestionAnswering")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _embeddings = new AlbertEmbeddings(config);
        _encoder = new AlbertEncoder(config);
        _qaOutputs = nn.Linear(config.Architecture.HiddenSize, 2);
        register_module("albert", new AlbertBackbone(_embeddings, _encoder));
        register_module("qa_outputs", _qaOutputs);
        AlbertInitialization.Apply(this, _embeddings, config.InitializerRange);
    }

    public AlbertTrainingConfig Config { get; }

    /// <summary>Word embeddings of <paramref name="inputIds"/> ([batch, seq] int64): [batch, seq, embedding_size].
    /// Feed them (or a perturbed copy) to <see cref="ForwardEmbeds"/>.</summary>
    public Tensor WordEmbeddings(Tensor inputIds) => _embeddings.WordEmbeddings(inputIds);

    /// <summary>The full model on token ids ([batch, seq] int64 each; mask 1 = real token, 0 = padding).</summary>
    public QaLogits Forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) =>
        ForwardEmbeds(WordEmbeddings(inputIds), tokenTypeIds, attentionMask);

    /// <summary>
    /// The model from raw word embeddings (Hugging Face <c>inputs_embeds</c>: before position and token-type
    /// embeddings are added), so gradients with respect to the input embeddings can be taken.
    /// </summary>
    public QaLogits ForwardEmbeds(Tensor inputsEmbeds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = _encoder.forward(_embeddings.forward(inputsEmbeds, tokenTypeIds), ExtendedMask(attentionMask, inputsEmbeds.dtype));
        var logits = _qaOutputs.forward(hidden);
        var start = logits.select(-1, 0).contiguous();
        var end = logits.select(-1, 1).contiguous();
        return new QaLogits(start.MoveToOuterDisposeScope(), end.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Hugging Face's QA loss: mean of the start and end cross-entropies; gold positions are clamped to
    /// [0, seq] and position seq is ignored (so out-of-window answers clamped there do not count).
    /// </summary>
    public static Tensor SpanLoss(QaLogits logits, Tensor startPositions, Tensor endPositions)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(startPositions);
        ArgumentNullException.ThrowIfNull(endPositions);
        using var scope = NewDisposeScope();
        var ignored = logits.Start.shape[1];
        var startLoss = nn.functional.cross_entropy(logits.Start, startPositions.clamp(0, ignored), ignore_index: ignored);
        var endLoss = nn.functional.cross_entropy(logits.End, endPositions.clamp(0, ignored), ignore_index: ignored);
        return ((startLoss + endLoss) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>Parameters by Hugging Face name, copied to float arrays (for safetensors export).</summary>
    public IReadOnlyDictionary<string, FloatTensor> ExportTensors()
    {
        var result = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in named_parameters())
        {
            using var cpu = parameter.detach().cpu().to_type(ScalarType.Float32).contiguous();
            result[name] = new FloatTensor(cpu.shape.Select(d => checked((int)d)).ToArray(), cpu.data<float>().ToArray());
        }
        return result;
    }

    /// <summary>Copies Hugging Face–named tensors into the parameters (all must be present with matching shapes).</summary>
    public void ImportTensors(AlbertCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            var source = checkpoint[name];
            using var value = tensor(source.Data, source.Shape.Select(d => (long)d).ToArray());
            parameter.copy_(value);
        }
    }

    /// <summary>
    /// Copies the backbone (every <c>albert.*</c> parameter) from Hugging Face–named tensors, e.g. a pre-trained
    /// <c>AlbertForPreTraining</c>; the QA head keeps its initial weights. All backbone tensors must be present
    /// with this model's shapes; returns how many were copied.
    /// </summary>
    public int ImportBackbone(IReadOnlyDictionary<string, FloatTensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var noGrad = no_grad();
        var copied = 0;
        foreach (var (name, parameter) in named_parameters())
        {
            if (!name.StartsWith("albert.", StringComparison.Ordinal))
            {
                continue;
            }
            if (!tensors.TryGetValue(name, out var value))
            {
                throw new Analysis.InputException($"{source}: tensor '{name}' missing; it must come from a model of the same sizes.");
            }
            var shape = parameter.shape.Select(d => (int)d).ToArray();
            if (!shape.SequenceEqual(value.Shape))
            {
                throw new Analysis.InputException($"{source}: tensor '{name}' has shape {value.ShapeText}, this model needs [{string.Join(", ", shape)}]; use the same model sizes.");
            }
            using var values = tensor(value.Data, value.Shape.Select(d => (long)d).ToArray());
            parameter.copy_(values);
            copied++;
        }
        return copied;
    }

    /// <summary>[batch, seq] 1/0 mask → additive [batch, 1, 1, seq]: 0 for tokens, the dtype's minimum for padding.</summary>
    internal static Tensor ExtendedMask(Tensor attentionMask, ScalarType dtype)
    {
        var mask = attentionMask.to_type(dtype).unsqueeze(1).unsqueeze(2);
        return (1.0 - mask) * finfo(dtype).min;
    }
}

/// <summary>Hugging Face's <c>_init_weights</c>: linear and embedding weights ~ N(0, range), biases 0,
/// LayerNorm gain 1 and bias 0, the padding row (id 0) of the word embeddings 0.</summary>
internal static class AlbertInitialization
{
    public static void Apply(nn.Module model, AlbertEmbeddings embeddings, double initializerRange)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var isNorm = name.Contains("LayerNorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal);
            if (isNorm)
            {
                _ = name.EndsWith(".weight", StringComparison.Ordinal) ? nn.init.ones_(parameter) : nn.init.zeros_(parameter);
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                nn.init.zeros_(parameter);
            }
            else
            {
                nn.init.normal_(parameter, 0, initializerRange);
            }
        }
        embeddings.ZeroPaddingRow();
    }
}

/// <summary>Only gives embeddings, encoder (and pooler) their Hugging Face prefix <c>albert.</c>; the task model drives them.</summary>
internal sealed class AlbertBackbone : nn.Module
{
    public AlbertBackbone(AlbertEmbeddings embeddings, AlbertEncoder encoder, Linear? pooler = null) : base("AlbertModel")
    {
        register_module("embeddings", embeddings);
        register_module("encoder", encoder);
        if (pooler is not null)
        {
            register_module("pooler", pooler);
        }
    }
}

internal sealed class AlbertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding _word;
    private readonly Embedding _position;
    private readonly Embedding _tokenType;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public AlbertEmbeddings(AlbertTrainingConfig config) : base("AlbertEmbeddings")
    {
        var a = config.Architecture;
        _word = nn.Embedding(a.VocabSize, a.EmbeddingSize, padding_idx: 0);
        _position = nn.Embedding(a.MaxPositionEmbeddings, a.EmbeddingSize);
        _tokenType = nn.Embedding(a.TypeVocabSize, a.EmbeddingSize);
        _layerNorm = nn.LayerNorm(a.EmbeddingSize, a.LayerNormEps);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("word_embeddings", _word);
        register_module("position_embeddings", _position);
        register_module("token_type_embeddings", _tokenType);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    public Tensor WordEmbeddings(Tensor inputIds) => _word.forward(inputIds);

    /// <summary>The [vocab, embedding] matrix; the masked-LM decoder reuses it (tied weights, as in ALBERT).</summary>
    public Tensor WordEmbeddingMatrix => _word.weight!;

    public void ZeroPaddingRow()
    {
        using var noGrad = no_grad();
        _word.weight![0].zero_();
    }

    public override Tensor forward(Tensor inputsEmbeds, Tensor tokenTypeIds)
    {
        var positions = arange(inputsEmbeds.shape[1], dtype: ScalarType.Int64, device: inputsEmbeds.device).unsqueeze(0);
        var sum = inputsEmbeds + _tokenType.forward(tokenTypeIds) + _position.forward(positions);
        return _dropout.forward(_layerNorm.forward(sum));
    }
}

internal sealed class AlbertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AlbertConfig _config;
    private readonly Linear _mappingIn;
    private readonly ModuleList<AlbertLayerGroup> _groups;

    public AlbertEncoder(AlbertTrainingConfig config) : base("AlbertTransformer")
    {
        _config = config.Architecture;
        _mappingIn = nn.Linear(_config.EmbeddingSize, _config.HiddenSize);
        _groups = new ModuleList<AlbertLayerGroup>(
            Enumerable.Range(0, _config.NumHiddenGroups).Select(_ => new AlbertLayerGroup(config)).ToArray());
        register_module("embedding_hidden_mapping_in", _mappingIn);
        register_module("albert_layer_groups", _groups);
    }

    public override Tensor forward(Tensor embeddings, Tensor additiveMask)
    {
        var hidden = _mappingIn.forward(embeddings);
        for (var repetition = 0; repetition < _config.NumHiddenLayers; repetition++)
        {
            hidden = _groups[_config.GroupOfRepetition(repetition)].forward(hidden, additiveMask);
        }
        return hidden;
    }
}

internal sealed class AlbertLayerGroup : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<AlbertLayer> _layers;

    public AlbertLayerGroup(AlbertTrainingConfig config) : base("AlbertLayerGroup")
    {
        _layers = new ModuleList<AlbertLayer>(
            Enumerable.Range(0, config.Architecture.InnerGroupNum).Select(_ => new AlbertLayer(config)).ToArray());
        register_module("albert_layers", _layers);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        foreach (var layer in _layers)
        {
            hidden = layer.forward(hidden, additiveMask);
        }
        return hidden;
    }
}

internal sealed class AlbertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AlbertAttention _attention;
    private readonly Linear _ffn;
    private readonly Linear _ffnOutput;
    private readonly LayerNorm _fullLayerNorm;
    private readonly AlbertActivation _activation;

    public AlbertLayer(AlbertTrainingConfig config) : base("AlbertLayer")
    {
        var a = config.Architecture;
        _activation = a.HiddenAct;
        _fullLayerNorm = nn.LayerNorm(a.HiddenSize, a.LayerNormEps);
        _attention = new AlbertAttention(config);
        _ffn = nn.Linear(a.HiddenSize, a.IntermediateSize);
        _ffnOutput = nn.Linear(a.IntermediateSize, a.HiddenSize);
        register_module("full_layer_layer_norm", _fullLayerNorm);
        register_module("attention", _attention);
        register_module("ffn", _ffn);
        register_module("ffn_output", _ffnOutput);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        var attended = _attention.forward(hidden, additiveMask);
        var intermediate = _ffn.forward(attended);
        var activated = _activation == AlbertActivation.GeluTanh
            ? nn.functional.gelu(intermediate, GELU.Approximate.tanh, inplace: false)
            : nn.functional.gelu(intermediate);
        // Hugging Face applies no dropout to the feed-forward output of ALBERT layers.
        return _fullLayerNorm.forward(_ffnOutput.forward(activated) + attended);
    }
}

internal sealed class AlbertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _heads;
    private readonly int _headSize;
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _dense;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _attentionDropout;
    private readonly Dropout _outputDropout;

    public AlbertAttention(AlbertTrainingConfig config) : base("AlbertAttention")
    {
        var a = config.Architecture;
        _heads = a.NumAttentionHeads;
        _headSize = a.HeadSize;
        _query = nn.Linear(a.HiddenSize, a.HiddenSize);
        _key = nn.Linear(a.HiddenSize, a.HiddenSize);
        _value = nn.Linear(a.HiddenSize, a.HiddenSize);
        _attentionDropout = nn.Dropout(config.AttentionProbsDropoutProb);
        _outputDropout = nn.Dropout(config.HiddenDropoutProb);
        _dense = nn.Linear(a.HiddenSize, a.HiddenSize);
        _layerNorm = nn.LayerNorm(a.HiddenSize, a.LayerNormEps);
        register_module("query", _query);
        register_module("key", _key);
        register_module("value", _value);
        register_module("attention_dropout", _attentionDropout);
        register_module("output_dropout", _outputDropout);
        register_module("dense", _dense);
        register_module("LayerNorm", _layerNorm);
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        var (batch, seq) = (hidden.shape[0], hidden.shape[1]);
        Tensor Heads(Linear projection) => projection.forward(hidden).view(batch, seq, _heads, _headSize).transpose(1, 2);
        var scores = matmul(Heads(_query), Heads(_key).transpose(-1, -2)) / Math.Sqrt(_headSize) + additiveMask;
        var probabilities = _attentionDropout.forward(scores.softmax(-1));
        var context = matmul(probabilities, Heads(_value)).transpose(1, 2).reshape(batch, seq, _heads * _headSize);
        return _layerNorm.forward(hidden + _outputDropout.forward(_dense.forward(context)));
    }
}
