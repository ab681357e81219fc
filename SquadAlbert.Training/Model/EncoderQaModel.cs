using SquadAlbert.Analysis.Model.Checkpoint;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Model;

/// <summary>Start and end logits, each [batch, seq].</summary>
public sealed record QaLogits(Tensor Start, Tensor End);

/// <summary>
/// Hugging Face <c>AlbertForQuestionAnswering</c> or <c>BertForQuestionAnswering</c> in TorchSharp. Modules are
/// registered under Hugging Face's names (<see cref="EncoderParameterNames"/>), so <c>named_parameters()</c> yields
/// exactly the keys of a Hugging Face checkpoint (<see cref="EncoderParameterNames.Expected"/>), and the math follows
/// <c>modeling_albert.py</c> / <c>modeling_bert.py</c> (eager attention).
/// </summary>
public sealed class EncoderQaModel : nn.Module
{
    private readonly EncoderBackbone _backbone;
    private readonly Linear _qaOutputs;

    public EncoderQaModel(EncoderTrainingConfig config) : base("QuestionAnsweringModel")
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var root = new NamedParts();
        _backbone = new EncoderBackbone(config, root);
        _qaOutputs = nn.Linear(config.Architecture.HiddenSize, 2);
        register_module(config.Architecture.ParameterNames.Backbone, root);
        register_module(EncoderParameterNames.QaOutputs, _qaOutputs);
        EncoderInitialization.Apply(this, _backbone, config.InitializerRange);
    }

    public EncoderTrainingConfig Config { get; }

    /// <summary>Word embeddings of <paramref name="inputIds"/> ([batch, seq] int64): [batch, seq, embedding_size].
    /// Feed them (or a perturbed copy) to <see cref="ForwardEmbeds"/>.</summary>
    public Tensor WordEmbeddings(Tensor inputIds) => _backbone.WordEmbeddings(inputIds);

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
        var hidden = _backbone.Forward(inputsEmbeds, tokenTypeIds, attentionMask, training);
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
    public void ImportTensors(QaCheckpoint checkpoint)
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
    /// Copies the backbone (every <c>albert.*</c> or <c>bert.*</c> parameter) from Hugging Face–named tensors, e.g. a
    /// pre-trained <c>AlbertForPreTraining</c> or an imported BERT encoder, and the QA head too when the tensors have
    /// one (a QA model fine-tuned further); otherwise the head keeps its initial weights. All backbone tensors must be
    /// present with this model's shapes. Returns how many tensors were copied.
    /// </summary>
    public int ImportPretrained(IReadOnlyDictionary<string, FloatTensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var noGrad = no_grad();
        var copied = 0;
        var backbone = Config.Architecture.ParameterNames.Backbone + ".";
        foreach (var (name, parameter) in named_parameters())
        {
            var inBackbone = name.StartsWith(backbone, StringComparison.Ordinal);
            if (!tensors.TryGetValue(name, out var value))
            {
                if (inBackbone)
                {
                    throw new Analysis.InputException($"{source}: tensor '{name}' missing; it must come from a model of the same sizes.");
                }
                continue;
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
internal static class EncoderInitialization
{
    public static void Apply(nn.Module model, EncoderBackbone backbone, double initializerRange)
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
        backbone.ZeroPaddingRow();
    }
}

/// <summary>
/// Embeddings, ALBERT's projection and the layers, attached to <c>root</c> (the container named
/// <c>albert</c> / <c>bert</c>) under Hugging Face's names; the task models drive it. Dropout is applied
/// functionally with the owning model's training flag, so it needs no registered modules.
/// </summary>
internal sealed class EncoderBackbone
{
    private readonly EncoderConfig _config;
    private readonly double _hiddenDropout;
    private readonly Embedding _word;
    private readonly Embedding _position;
    private readonly Embedding _tokenType;
    private readonly LayerNorm _layerNorm;
    private readonly Linear? _projection;
    private readonly EncoderLayer[][] _groups;

    public EncoderBackbone(EncoderTrainingConfig config, NamedParts root)
    {
        var a = config.Architecture;
        var names = a.ParameterNames;
        _config = a;
        _hiddenDropout = config.HiddenDropoutProb;
        string Path(string name) => name[(names.Backbone.Length + 1)..];
        string ModulePath(string weightName) => Path(weightName[..^".weight".Length]);
        _word = nn.Embedding(a.VocabSize, a.EmbeddingSize, padding_idx: 0);
        _position = nn.Embedding(a.MaxPositionEmbeddings, a.EmbeddingSize);
        _tokenType = nn.Embedding(a.TypeVocabSize, a.EmbeddingSize);
        _layerNorm = nn.LayerNorm(a.EmbeddingSize, a.LayerNormEps);
        root.Attach(ModulePath(names.WordEmbeddings), _word);
        root.Attach(ModulePath(names.PositionEmbeddings), _position);
        root.Attach(ModulePath(names.TokenTypeEmbeddings), _tokenType);
        root.Attach(Path(names.EmbeddingLayerNorm), _layerNorm);
        if (names.EmbeddingProjection is { } projection)
        {
            _projection = nn.Linear(a.EmbeddingSize, a.HiddenSize);
            root.Attach(Path(projection), _projection);
        }
        _groups = Enumerable.Range(0, a.NumHiddenGroups)
            .Select(g => Enumerable.Range(0, a.InnerGroupNum).Select(i => new EncoderLayer(config, names.Layer(g, i), root, Path)).ToArray())
            .ToArray();
    }

    public Tensor WordEmbeddings(Tensor inputIds) => _word.forward(inputIds);

    /// <summary>The [vocab, embedding] matrix; the masked-LM decoder reuses it (tied weights, as in ALBERT).</summary>
    public Tensor WordEmbeddingMatrix => _word.weight!;

    public void ZeroPaddingRow()
    {
        using var noGrad = no_grad();
        _word.weight![0].zero_();
    }

    /// <summary>The final hidden states [batch, seq, hidden] for raw word embeddings (HF <c>inputs_embeds</c>).</summary>
    public Tensor Forward(Tensor inputsEmbeds, Tensor tokenTypeIds, Tensor attentionMask, bool training)
    {
        var positions = arange(inputsEmbeds.shape[1], dtype: ScalarType.Int64, device: inputsEmbeds.device).unsqueeze(0);
        var sum = inputsEmbeds + _tokenType.forward(tokenTypeIds) + _position.forward(positions);
        var hidden = nn.functional.dropout(_layerNorm.forward(sum), _hiddenDropout, training);
        if (_projection is not null)
        {
            hidden = _projection.forward(hidden);
        }
        var mask = EncoderQaModel.ExtendedMask(attentionMask, inputsEmbeds.dtype);
        for (var repetition = 0; repetition < _config.NumHiddenLayers; repetition++)
        {
            foreach (var layer in _groups[_config.GroupOfRepetition(repetition)])
            {
                hidden = layer.Forward(hidden, mask, training);
            }
        }
        return hidden;
    }
}

/// <summary>One post-LayerNorm transformer layer (attention, then feed-forward), attached under its Hugging Face names.</summary>
internal sealed class EncoderLayer
{
    private readonly int _heads;
    private readonly int _headSize;
    private readonly EncoderActivation _activation;
    private readonly double _hiddenDropout;
    private readonly double _attentionDropout;
    private readonly bool _feedForwardDropout;
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _attentionOutput;
    private readonly LayerNorm _attentionNorm;
    private readonly Linear _intermediate;
    private readonly Linear _output;
    private readonly LayerNorm _outputNorm;

    public EncoderLayer(EncoderTrainingConfig config, LayerParameterNames names, NamedParts root, Func<string, string> path)
    {
        var a = config.Architecture;
        _heads = a.NumAttentionHeads;
        _headSize = a.HeadSize;
        _activation = a.HiddenAct;
        _hiddenDropout = config.HiddenDropoutProb;
        _attentionDropout = config.AttentionProbsDropoutProb;
        // Hugging Face's ALBERT applies no dropout to the feed-forward output; BERT does.
        _feedForwardDropout = a.Family == ModelFamily.Bert;
        Linear Attach(Linear module, string name)
        {
            root.Attach(path(name), module);
            return module;
        }
        LayerNorm Norm(string name)
        {
            var module = nn.LayerNorm(a.HiddenSize, a.LayerNormEps);
            root.Attach(path(name), module);
            return module;
        }
        var (h, f) = (a.HiddenSize, a.IntermediateSize);
        _query = Attach(nn.Linear(h, h), names.Query);
        _key = Attach(nn.Linear(h, h), names.Key);
        _value = Attach(nn.Linear(h, h), names.Value);
        _attentionOutput = Attach(nn.Linear(h, h), names.AttentionOutput);
        _attentionNorm = Norm(names.AttentionLayerNorm);
        _intermediate = Attach(nn.Linear(h, f), names.Intermediate);
        _output = Attach(nn.Linear(f, h), names.Output);
        _outputNorm = Norm(names.OutputLayerNorm);
    }

    public Tensor Forward(Tensor hidden, Tensor additiveMask, bool training)
    {
        var (batch, seq) = (hidden.shape[0], hidden.shape[1]);
        Tensor Heads(Linear projection) => projection.forward(hidden).view(batch, seq, _heads, _headSize).transpose(1, 2);
        var scores = matmul(Heads(_query), Heads(_key).transpose(-1, -2)) / Math.Sqrt(_headSize) + additiveMask;
        var probabilities = nn.functional.dropout(scores.softmax(-1), _attentionDropout, training);
        var context = matmul(probabilities, Heads(_value)).transpose(1, 2).reshape(batch, seq, _heads * _headSize);
        var attended = _attentionNorm.forward(hidden + nn.functional.dropout(_attentionOutput.forward(context), _hiddenDropout, training));
        var intermediate = _intermediate.forward(attended);
        var activated = _activation == EncoderActivation.GeluTanh
            ? nn.functional.gelu(intermediate, GELU.Approximate.tanh, inplace: false)
            : nn.functional.gelu(intermediate);
        var output = _output.forward(activated);
        if (_feedForwardDropout)
        {
            output = nn.functional.dropout(output, _hiddenDropout, training);
        }
        return _outputNorm.forward(output + attended);
    }
}
