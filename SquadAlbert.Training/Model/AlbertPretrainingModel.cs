using SquadAlbert.Analysis.Model.Checkpoint;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Model;

/// <summary>The combined loss and its parts; <see cref="MaskedCorrect"/> counts masked tokens predicted right.</summary>
public sealed record PretrainingLoss(Tensor Total, Tensor MaskedLm, Tensor SentenceOrder, Tensor MaskedCorrect);

/// <summary>
/// Hugging Face <c>AlbertForPreTraining</c> in TorchSharp: the same backbone as <see cref="EncoderQaModel"/> (same
/// <c>albert.*</c> names, plus the pooler) with a masked-LM head whose decoder is tied to the word embeddings and a
/// sentence-order head. Its backbone tensors initialise a QA model (<see cref="EncoderQaModel.ImportPretrained"/>).
/// </summary>
public sealed class AlbertPretrainingModel : nn.Module
{
    private const string MlmBiasName = "bias";
    private readonly EncoderTrainingConfig _config;
    private readonly EncoderBackbone _backbone;
    private readonly Linear _pooler;
    private readonly Linear _mlmDense;
    private readonly LayerNorm _mlmNorm;
    private readonly NamedParts _predictions;
    private readonly Linear _sopClassifier;
    private readonly Dropout _sopDropout;

    public AlbertPretrainingModel(EncoderTrainingConfig config) : base("AlbertForPreTraining")
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        var a = config.Architecture;
        if (a.Family != ModelFamily.Albert)
        {
            throw new ArgumentException("masked-LM + sentence-order pre-training is implemented for ALBERT models only", nameof(config));
        }
        var root = new NamedParts();
        _backbone = new EncoderBackbone(config, root);
        _pooler = nn.Linear(a.HiddenSize, a.HiddenSize);
        _mlmDense = nn.Linear(a.HiddenSize, a.EmbeddingSize);
        _mlmNorm = nn.LayerNorm(a.EmbeddingSize, a.LayerNormEps);
        _sopClassifier = nn.Linear(a.HiddenSize, 2);
        _sopDropout = nn.Dropout(config.HiddenDropoutProb);
        root.Attach("pooler", _pooler);
        register_module("albert", root);
        _predictions = new NamedParts(("dense", _mlmDense), ("LayerNorm", _mlmNorm));
        _predictions.AddParameter(MlmBiasName, new Parameter(zeros(a.VocabSize)));
        register_module("predictions", _predictions);
        register_module("sop_classifier", new NamedParts(("dropout", _sopDropout), ("classifier", _sopClassifier)));
        EncoderInitialization.Apply(this, _backbone, config.InitializerRange);
    }

    /// <summary>
    /// Masked-LM cross-entropy over the masked tokens plus sentence-order cross-entropy.
    /// </summary>
    /// <param name="inputIds">[batch, seq] int64, masked tokens already replaced.</param>
    /// <param name="maskedPositions">[n] int64 flat indices (row × seq + column) of the masked tokens.</param>
    /// <param name="maskedLabels">[n] int64 original ids at those positions.</param>
    /// <param name="sentenceOrder">[batch] int64: 0 = segments in order, 1 = swapped.</param>
    public PretrainingLoss Loss(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask, Tensor maskedPositions, Tensor maskedLabels, Tensor sentenceOrder)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = _backbone.Forward(_backbone.WordEmbeddings(inputIds), tokenTypeIds, attentionMask, training);
        var width = hidden.shape[^1];
        // Only the masked positions go through the vocabulary-sized decoder.
        var masked = hidden.reshape(-1, width).index_select(0, maskedPositions);
        var transformed = _mlmNorm.forward(Activation(_mlmDense.forward(masked)));
        // Looked up per call: converting the module (device, dtype) replaces parameter tensors.
        var vocabularyLogits = transformed.matmul(_backbone.WordEmbeddingMatrix.t()) + _predictions.get_parameter(MlmBiasName)!;
        var mlm = nn.functional.cross_entropy(vocabularyLogits, maskedLabels);
        var pooled = _pooler.forward(hidden.select(1, 0)).tanh();
        var sop = nn.functional.cross_entropy(_sopClassifier.forward(_sopDropout.forward(pooled)), sentenceOrder);
        var correct = vocabularyLogits.argmax(-1).eq(maskedLabels).sum();
        return new PretrainingLoss((mlm + sop).MoveToOuterDisposeScope(), mlm.MoveToOuterDisposeScope(), sop.MoveToOuterDisposeScope(),
            correct.MoveToOuterDisposeScope());
    }

    /// <summary>The backbone (<c>albert.embeddings.*</c>, <c>albert.encoder.*</c>) by Hugging Face name, as float
    /// arrays: what a QA model takes over. The pooler is left out (the QA model has none).</summary>
    public IReadOnlyDictionary<string, FloatTensor> ExportBackbone()
    {
        var result = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in named_parameters())
        {
            if (!name.StartsWith("albert.embeddings.", StringComparison.Ordinal) && !name.StartsWith("albert.encoder.", StringComparison.Ordinal))
            {
                continue;
            }
            using var cpu = parameter.detach().cpu().to_type(ScalarType.Float32).contiguous();
            result[name] = new FloatTensor(cpu.shape.Select(d => checked((int)d)).ToArray(), cpu.data<float>().ToArray());
        }
        return result;
    }

    private Tensor Activation(Tensor x) => _config.Architecture.HiddenAct == EncoderActivation.GeluTanh
        ? nn.functional.gelu(x, GELU.Approximate.tanh, inplace: false)
        : nn.functional.gelu(x);
}
