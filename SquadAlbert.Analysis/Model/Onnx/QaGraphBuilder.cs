using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Reference;
using static SquadAlbert.Analysis.Model.Onnx.OnnxGraphWriter;

namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>Names of the inputs and outputs of the graphs <see cref="QaGraphBuilder"/> builds.</summary>
public static class QaGraphNames
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string InputsEmbeds = "inputs_embeds";
    public const string StartPositions = "start_positions";
    public const string EndPositions = "end_positions";

    public const string StartLogits = "start_logits";
    public const string EndLogits = "end_logits";
    public const string LastHiddenState = "last_hidden_state";
    public const string ClsEmbedding = "cls_embedding";
    public const string ContextMeanEmbedding = "context_mean_embedding";
    public const string Loss = "loss";
    public const string MeanLoss = "mean_loss";
    public const string InputsEmbedsGrad = "inputs_embeds_grad";
}

/// <summary>Which scalar per example the input-gradient graph differentiates.</summary>
public enum InputGradientTarget
{
    /// <summary>The QA training loss: mean of the start and end cross-entropies at the given positions.</summary>
    Loss,

    /// <summary>The start logit at the given start position: start_logits[b, start_positions[b]].</summary>
    StartLogit,

    /// <summary>The end logit at the given end position: end_logits[b, end_positions[b]].</summary>
    EndLogit,
}

/// <summary>
/// Builds ALBERT or BERT question-answering graphs from a Hugging Face checkpoint, with the weights as initializers.
/// <para><b>Inference graph</b> — inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> (int64 [batch, seq]);
/// outputs <c>start_logits</c>, <c>end_logits</c> [batch, seq], <c>last_hidden_state</c> [batch, seq, hidden],
/// <c>cls_embedding</c> [batch, hidden] (the final hidden state of position 0, [CLS]) and <c>context_mean_embedding</c>
/// [batch, hidden]: the mean final hidden state over context tokens, i.e. positions with token_type_id = 1 and
/// attention_mask = 1 except the last attended position (the closing [SEP]); this assumes right padding and a window
/// ending in [SEP], as <see cref="Text.QaWindow"/> and the runner guarantee (zero vector when a row has no context).</para>
/// <para><b>Input-gradient graph</b> — takes <c>inputs_embeds</c> [batch, seq, embedding_size] (rows of
/// <c>word_embeddings</c>, looked up by the caller so integrated gradients can interpolate them) instead of ids, plus
/// <c>start_positions</c>, <c>end_positions</c> (int64 [batch]). Outputs <c>start_logits</c>, <c>end_logits</c>,
/// <c>loss</c> [batch] (per example: the mean of the start and end cross-entropies, Hugging Face's QA loss, with
/// padded positions excluded from the softmax so a window's loss does not depend on its batch), <c>mean_loss</c>
/// (the batch mean) and <c>inputs_embeds_grad</c> [batch, seq, embedding_size] = d target[b] / d inputs_embeds[b], where
/// the target is chosen when the graph is built (<see cref="InputGradientTarget"/>): the loss by default, or the start
/// logit at <c>start_positions</c>, or the end logit at <c>end_positions</c>.
/// The backward pass is written out by hand as ONNX ops and runs through every repetition of the shared layers.</para>
/// <para><b>Precision</b> — the inference graph can run the encoder layers' linear layers (query, key, value, attention
/// output, the two feed-forward layers) in 8-bit integers (<see cref="InferencePrecision.Int8"/>): weights quantised per
/// output channel when the graph is built (<see cref="Int8WeightQuantizer"/>), activations quantised to uint8 at run time,
/// by default one scale per token (<see cref="Int8Scheme"/>), through ONNX Runtime's u8·s8 integer matrix products. The
/// embeddings (and ALBERT's embedding projection), LayerNorm, GELU, softmax, the attention scores (q·kᵀ and
/// probabilities·v: both operands are activations) and the QA head stay float32. The input-gradient graph is always
/// float.</para>
/// </summary>
public sealed class QaGraphBuilder
{
    private const string Batch = "batch";
    private const string Sequence = "sequence";

    private readonly OnnxGraphWriter _g;
    private readonly QaCheckpoint _checkpoint;
    private readonly EncoderConfig _c;
    private readonly EncoderParameterNames _names;
    private readonly bool _differentiable;
    private readonly InferencePrecision _precision;
    private readonly Int8Scheme _int8Scheme;
    private readonly CancellationToken _cancellation;
    private string _additiveMask = "";
    private string _mask = "";
    private string? _batchSequenceShape;
    private readonly Dictionary<int, string> _rowShapes = [];

    /// <summary>
    /// ONNX models are one protobuf message, which cannot exceed 2 GB; the graph holds every weight and a transposed
    /// copy of each linear weight, so a checkpoint is refused before building when that would not fit.
    /// </summary>
    public const long MaxGraphBytes = int.MaxValue;

    /// <summary>Refuses a model whose graph would exceed <see cref="MaxGraphBytes"/> (see there).</summary>
    public static void CheckSize(EncoderConfig config, OnnxElementType elementType = OnnxElementType.SinglePrecision)
    {
        ArgumentNullException.ThrowIfNull(config);
        var bytesPerValue = elementType == OnnxElementType.SinglePrecision ? 4L : 8L;
        var estimate = EncoderParameterNames.Expected(config)
            .Sum(p => checked(FloatTensor.ElementCount(p.Shape) * bytesPerValue * (p.Shape.Length == 2 ? 2 : 1)));
        if (estimate > MaxGraphBytes)
        {
            throw new InputException(
                $"{EncoderConfig.FileName}: a graph for this model would hold about {estimate / (1 << 20):N0} MB of weights; ONNX models are limited to 2 GB.");
        }
    }

    private QaGraphBuilder(
        QaCheckpoint checkpoint, OnnxElementType elementType, InferencePrecision precision, Int8Scheme int8Scheme, bool differentiable, string name,
        CancellationToken cancellation)
    {
        if (precision == InferencePrecision.Int8 && (elementType != OnnxElementType.SinglePrecision || differentiable))
        {
            throw new ArgumentException("int8 is a precision of the float32 inference graph only.", nameof(precision));
        }
        CheckSize(checkpoint.Config, elementType);
        _cancellation = cancellation;
        _checkpoint = checkpoint;
        _c = checkpoint.Config;
        _names = _c.ParameterNames;
        _differentiable = differentiable;
        _precision = precision;
        _int8Scheme = int8Scheme;
        _g = new OnnxGraphWriter(name, elementType);
    }

    /// <summary>The serialized inference model (see the class summary for its inputs and outputs).</summary>
    /// <param name="precision"><see cref="InferencePrecision.Int8"/> needs <see cref="OnnxElementType.SinglePrecision"/>.</param>
    /// <param name="int8Scheme">How an int8 graph multiplies; null takes <see cref="Int8Schemes.Default"/>. Ignored for fp32.</param>
    public static byte[] BuildInference(QaCheckpoint checkpoint, OnnxElementType elementType = OnnxElementType.SinglePrecision,
        InferencePrecision precision = InferencePrecision.Fp32, Int8Scheme? int8Scheme = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var b = new QaGraphBuilder(
            checkpoint, elementType, precision, int8Scheme ?? Int8Schemes.Default, differentiable: false, "encoder_qa", cancellationToken);
        var g = b._g;
        var ids = g.Input(QaGraphNames.InputIds, true, Batch, Sequence);
        var mask = g.Input(QaGraphNames.AttentionMask, true, Batch, Sequence);
        var types = g.Input(QaGraphNames.TokenTypeIds, true, Batch, Sequence);
        var words = g.Gather(b.Weight(b._names.WordEmbeddings), ids);
        var hidden = b.Encoder(words, mask, types, out _);
        var (start, end) = b.QaHead(hidden);
        var h = b._c.HiddenSize;
        g.Output(start, QaGraphNames.StartLogits, Batch, Sequence);
        g.Output(end, QaGraphNames.EndLogits, Batch, Sequence);
        g.Output(hidden, QaGraphNames.LastHiddenState, Batch, Sequence, h);
        g.Output(g.Gather(hidden, g.IntScalar(0), axis: 1), QaGraphNames.ClsEmbedding, Batch, h);
        g.Output(b.ContextMean(hidden, mask, types), QaGraphNames.ContextMeanEmbedding, Batch, h);
        return g.ToBytes();
    }

    /// <summary>The serialized input-gradient model (see the class summary for its inputs and outputs).</summary>
    public static byte[] BuildInputGradient(
        QaCheckpoint checkpoint,
        OnnxElementType elementType = OnnxElementType.SinglePrecision,
        InputGradientTarget target = InputGradientTarget.Loss,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var b = new QaGraphBuilder(
            checkpoint, elementType, InferencePrecision.Fp32, Int8Schemes.Default, differentiable: true, "encoder_qa_input_gradient", cancellationToken);
        var g = b._g;
        var embeds = g.Input(QaGraphNames.InputsEmbeds, false, Batch, Sequence, b._c.EmbeddingSize);
        var mask = g.Input(QaGraphNames.AttentionMask, true, Batch, Sequence);
        var types = g.Input(QaGraphNames.TokenTypeIds, true, Batch, Sequence);
        var startPositions = g.Input(QaGraphNames.StartPositions, true, Batch);
        var endPositions = g.Input(QaGraphNames.EndPositions, true, Batch);

        var hidden = b.Encoder(embeds, mask, types, out var tape);
        var (start, end) = b.QaHead(hidden);
        var (startLoss, dStart) = b.CrossEntropy(start, startPositions);
        var (endLoss, dEnd) = b.CrossEntropy(end, endPositions);
        var half = g.Scalar(0.5);
        var loss = g.Mul(g.Add(startLoss, endLoss), half);

        // d target / d logits, then back through the QA head: logits = hidden · Wqaᵀ + b.
        var (dTargetStart, dTargetEnd) = target switch
        {
            InputGradientTarget.Loss => (g.Mul(dStart, half), g.Mul(dEnd, half)),
            InputGradientTarget.StartLogit => (b.OneHot(start, startPositions), g.Mul(dEnd, g.Scalar(0))),
            InputGradientTarget.EndLogit => (g.Mul(dStart, g.Scalar(0)), b.OneHot(end, endPositions)),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown input-gradient target"),
        };
        var dLogits = g.Node("Concat", [g.Unsqueeze(dTargetStart, 2), g.Unsqueeze(dTargetEnd, 2)], null, IntAttr("axis", 2));
        var dHidden = g.MatMul(dLogits, b.Weight(EncoderParameterNames.QaOutputs + ".weight"));
        var dEmbeds = b.EncoderBackward(dHidden, tape);

        g.Output(start, QaGraphNames.StartLogits, Batch, Sequence);
        g.Output(end, QaGraphNames.EndLogits, Batch, Sequence);
        g.Output(loss, QaGraphNames.Loss, Batch);
        g.Output(g.Node("ReduceMean", [loss], null, IntAttr("keepdims", 0)), QaGraphNames.MeanLoss);
        g.Output(dEmbeds, QaGraphNames.InputsEmbedsGrad, Batch, Sequence, b._c.EmbeddingSize);
        return g.ToBytes();
    }

    // ------------------------------------------------------------------ forward

    private sealed record LayerNormTape(string Normalized, string InverseStd, string Gain);

    private sealed record AttentionTape(string Query, string Key, string Value, string Probs, LayerNormTape Norm, LayerParameterNames Names);

    private sealed record LayerTape(AttentionTape Attention, string FfnPreActivation, LayerNormTape Norm, LayerParameterNames Names);

    private sealed record EncoderTape(LayerNormTape EmbeddingNorm, List<LayerTape> Layers);

    private string Encoder(string wordEmbeddings, string mask, string types, out EncoderTape tape)
    {
        var g = _g;
        var sequence = g.Dim(mask, 1);
        var positions = g.Gather(Weight(_names.PositionEmbeddings), g.Range(sequence));
        var typeEmbeddings = g.Gather(Weight(_names.TokenTypeEmbeddings), types);
        var summed = g.Add(g.Add(wordEmbeddings, positions), typeEmbeddings);
        var embedded = LayerNorm(summed, _names.EmbeddingLayerNorm, out var embeddingNorm);
        var hidden = _names.EmbeddingProjection is { } projection ? Linear(embedded, projection) : embedded;

        // Hugging Face's extended mask: (1 - mask) * dtype.min, broadcast over heads and query positions.
        var keep = g.CastToElement(mask);
        _additiveMask = g.Unsqueeze(g.Mul(g.Sub(g.Scalar(1), keep), g.Scalar(g.MinValue)), 1, 2);
        _mask = mask;

        var layers = new List<LayerTape>();
        for (var repetition = 0; repetition < _c.NumHiddenLayers; repetition++)
        {
            var group = _c.GroupOfRepetition(repetition);
            for (var inner = 0; inner < _c.InnerGroupNum; inner++)
            {
                _cancellation.ThrowIfCancellationRequested();
                if (_precision == InferencePrecision.Int8)
                {
                    hidden = QuantizedLayer(hidden, _names.Layer(group, inner));
                    continue;
                }
                hidden = Layer(hidden, _names.Layer(group, inner), out var layerTape);
                layers.Add(layerTape);
            }
        }
        tape = new EncoderTape(embeddingNorm, layers);
        return hidden;
    }

    private string Layer(string x, LayerParameterNames names, out LayerTape tape)
    {
        var attended = Attention(x, names, out var attentionTape);
        var preActivation = Linear(attended, names.Intermediate);
        var ffn = Linear(Activation(preActivation), names.Output);
        var output = LayerNorm(_g.Add(ffn, attended), names.OutputLayerNorm, out var norm);
        tape = new LayerTape(attentionTape, preActivation, norm, names);
        return output;
    }

    private string Attention(string x, LayerParameterNames names, out AttentionTape tape)
    {
        var g = _g;
        var query = SplitHeads(Linear(x, names.Query));
        var key = SplitHeads(Linear(x, names.Key));
        var value = SplitHeads(Linear(x, names.Value));
        var scores = g.Add(g.Mul(g.MatMul(query, g.Transpose(key, 0, 1, 3, 2)), g.Scalar(1 / Math.Sqrt(_c.HeadSize))), _additiveMask);
        var probs = g.Softmax(scores);
        var context = MergeHeads(g.MatMul(probs, value));
        var projected = Linear(context, names.AttentionOutput);
        var output = LayerNorm(g.Add(x, projected), names.AttentionLayerNorm, out var norm);
        tape = new AttentionTape(query, key, value, probs, norm, names);
        return output;
    }

    private (string Start, string End) QaHead(string hidden)
    {
        var logits = Linear(hidden, EncoderParameterNames.QaOutputs);
        var halves = _g.NodeN("Split", [logits], [_g.Fresh("start"), _g.Fresh("end")], IntAttr("axis", 2), IntAttr("num_outputs", 2));
        return (_g.Squeeze(halves[0], 2), _g.Squeeze(halves[1], 2));
    }

    private string ContextMean(string hidden, string mask, string types)
    {
        var g = _g;
        var lastAttended = g.Sub(g.ReduceSum(mask, 1), g.IntScalar(1));
        var isLast = g.CastToElement(g.Equal(g.Unsqueeze(g.Range(g.Dim(mask, 1)), 0), lastAttended));
        var context = g.Mul(g.Mul(g.CastToElement(types), g.CastToElement(mask)), g.Sub(g.Scalar(1), isLast));
        var sum = g.ReduceSum(g.Mul(hidden, g.Unsqueeze(context, 2)), 1, keepDims: false);
        var count = g.Node("Max", [g.ReduceSum(context, 1), g.Scalar(1)]);
        return g.Div(sum, count);
    }

    /// <summary>Per-example cross-entropy over attended positions and its gradient w.r.t. the logits.</summary>
    private (string Loss, string Gradient) CrossEntropy(string logits, string positions)
    {
        var g = _g;
        var masked = g.Add(logits, g.Squeeze(_additiveMask, 1, 2));
        var logProbs = g.Node("LogSoftmax", [masked], null, IntAttr("axis", -1));
        var oneHot = OneHot(logits, positions);
        var loss = g.Unary("Neg", g.ReduceSum(g.Mul(oneHot, logProbs), 1, keepDims: false));
        return (loss, g.Sub(g.Unary("Exp", logProbs), oneHot));
    }

    /// <summary>[batch, seq] with 1 at (b, positions[b]) and 0 elsewhere: d logits[b, positions[b]] / d logits.</summary>
    private string OneHot(string logits, string positions) =>
        _g.CastToElement(_g.Equal(_g.Unsqueeze(positions, 1), _g.Unsqueeze(_g.Range(_g.Dim(logits, 1)), 0)));

    private string SplitHeads(string x) =>
        _g.Transpose(_g.Reshape(x, 0, 0, _c.NumAttentionHeads, _c.HeadSize), 0, 2, 1, 3);

    private string MergeHeads(string x) => _g.Reshape(_g.Transpose(x, 0, 2, 1, 3), 0, 0, _c.HiddenSize);

    /// <summary>x · Wᵀ + b with W stored [out, in] as in Hugging Face; the forward uses a pre-transposed copy.</summary>
    private string Linear(string x, string prefix)
    {
        var transposedName = prefix + ".weight.T";
        if (!_g.HasInitializer(transposedName))
        {
            var transposed = _checkpoint[prefix + ".weight"].Transposed();
            _g.Initializer(transposedName, transposed.Data, transposed.Shape);
        }
        return _g.Add(_g.MatMul(x, transposedName), Weight(prefix + ".bias"));
    }

    // ------------------------------------------------------------------ int8 forward

    /// <summary>The zero point of per-token quantised activations that may be negative as well as positive.</summary>
    private const byte SignedActivationZeroPoint = 128;

    /// <summary>The zero point of per-token quantised GELU outputs: they go down to −0.17 only, so most of the 256 levels
    /// go to the positive side (a row whose maximum is about 2.5 needs about 16 levels below zero).</summary>
    private const byte GeluActivationZeroPoint = 32;

    /// <summary>An activation on its way into integer products: the float tensor and, for
    /// <see cref="Int8Scheme.PerToken"/>, its uint8 rows [tokens, width] with their scales [tokens, 1].</summary>
    private sealed record IntegerInput(string Float, string Values, string Scales, byte ZeroPoint);

    /// <summary>
    /// One encoder layer with its six linear layers as integer products (see <see cref="Int8Scheme"/>): the query, key
    /// and value products share one quantised copy of their input; the biases are added in float after the product
    /// (the intermediate one inside <c>com.microsoft.BiasGelu</c> or <c>FastGelu</c>). The attention scores, softmax,
    /// GELU, residual sums and LayerNorm are float, as in <see cref="Layer"/>.
    /// </summary>
    private string QuantizedLayer(string x, LayerParameterNames names)
    {
        var g = _g;
        var h = _c.HiddenSize;
        var input = IntegerInputOf(x, h, SignedActivationZeroPoint);
        var query = SplitHeads(g.Add(IntegerProduct(input, names.Query), Weight(names.Query + ".bias")));
        var key = SplitHeads(g.Add(IntegerProduct(input, names.Key), Weight(names.Key + ".bias")));
        var value = SplitHeads(g.Add(IntegerProduct(input, names.Value), Weight(names.Value + ".bias")));
        var scores = g.Add(g.Mul(g.MatMul(query, g.Transpose(key, 0, 1, 3, 2)), g.Scalar(1 / Math.Sqrt(_c.HeadSize))), _additiveMask);
        var context = MergeHeads(g.MatMul(g.Softmax(scores), value));
        var projected = g.Add(IntegerProduct(IntegerInputOf(context, h, SignedActivationZeroPoint), names.AttentionOutput), Weight(names.AttentionOutput + ".bias"));
        var attended = LayerNorm(g.Add(x, projected), names.AttentionLayerNorm, out _);
        var activated = BiasActivation(IntegerProduct(IntegerInputOf(attended, h, SignedActivationZeroPoint), names.Intermediate), Weight(names.Intermediate + ".bias"));
        var output = g.Add(IntegerProduct(IntegerInputOf(activated, _c.IntermediateSize, GeluActivationZeroPoint), names.Output), Weight(names.Output + ".bias"));
        return LayerNorm(g.Add(output, attended), names.OutputLayerNorm, out _);
    }

    /// <summary>GELU(x + bias) in one ONNX Runtime kernel: <c>BiasGelu</c> (erf) or <c>FastGelu</c> (tanh form, gelu_new).</summary>
    private string BiasActivation(string x, string bias) => _c.HiddenAct == EncoderActivation.GeluErf
        ? _g.MicrosoftNode("BiasGelu", [x, bias])
        : _g.MicrosoftNode("FastGelu", [x, bias]);

    /// <summary>
    /// For <see cref="Int8Scheme.PerToken"/>: x [batch, seq, width] as uint8 rows with one scale per token,
    /// scale = max(max_row / (255 − Z), −min_row / Z) for the fixed zero point Z, so each token uses the uint8 range
    /// between its own extremes (a BERT layer's [CLS] row can be ten times larger than the others and would otherwise
    /// set the step for every token). Per-tensor schemes quantise inside their product instead.
    /// </summary>
    private IntegerInput IntegerInputOf(string x, int width, byte zeroPoint)
    {
        if (_int8Scheme == Int8Scheme.PerTensor)
        {
            return new IntegerInput(x, "", "", zeroPoint);
        }
        var g = _g;
        var rows = g.Reshape(x, -1, width);
        var largest = g.Node("ReduceMax", [rows, g.Ints(1)], null, IntAttr("keepdims", 0));
        var smallest = g.Node("ReduceMin", [rows, g.Ints(1)], null, IntAttr("keepdims", 0));
        var scale = g.Node("Max", [
            g.Mul(largest, g.Scalar(1.0 / (255 - zeroPoint))),
            g.Mul(smallest, g.Scalar(-1.0 / zeroPoint)),
            g.Scalar(1e-12),
        ]);
        var zeroPoints = g.Node("Expand", [g.UInt8Scalar(zeroPoint), g.Node("Shape", [scale])]);
        var values = g.Node("QuantizeLinear", [rows, scale, zeroPoints], null, IntAttr("axis", 0));
        return new IntegerInput(x, values, g.Unsqueeze(scale, 1), zeroPoint);
    }

    /// <summary>x · Wᵀ [batch, seq, out] without the bias, W quantised per output channel (shared ALBERT layers share
    /// one quantised copy).</summary>
    private string IntegerProduct(IntegerInput x, string prefix)
    {
        var g = _g;
        var valuesName = prefix + ".weight.int8";
        var scalesName = prefix + ".weight.scales";
        var outputs = _checkpoint[prefix + ".weight"].Shape[0];
        if (!g.HasInitializer(valuesName))
        {
            var quantized = Int8WeightQuantizer.PerOutputChannel(_checkpoint[prefix + ".weight"], _int8Scheme.WeightMagnitude());
            g.Int8Initializer(valuesName, quantized.Values, quantized.Inputs, quantized.Outputs);
            g.Initializer(scalesName, quantized.Scales, quantized.Outputs);
        }
        return _int8Scheme switch
        {
            // Inputs: A (float, quantised inside per tensor), B, b_scale (per output column); no zero point (symmetric), no bias.
            Int8Scheme.PerTensor => g.MicrosoftNode("DynamicQuantizeMatMul", [x.Float, valuesName, scalesName]),
            // Inputs: A (uint8 rows), B, a_scale 1, b_scale [out] (applied as the product is written), a_zero_point. The row
            // scales follow as a Mul: MatMulIntegerToFloat would apply a [rows, 1] a_scale on one thread, Mul uses them all.
            Int8Scheme.PerToken => g.Mul(g.Node("Reshape", [
                g.MicrosoftNode("MatMulIntegerToFloat", [x.Values, valuesName, g.Scalar(1), scalesName, g.UInt8Scalar(x.ZeroPoint)]),
                RowShape(outputs),
            ]), g.Node("Reshape", [x.Scales, RowShape(1)])),
            _ => throw new InvalidOperationException($"unknown int8 scheme {_int8Scheme}"),
        };
    }

    /// <summary>[batch, sequence, <paramref name="width"/>] as an int64 shape (one per width).</summary>
    private string RowShape(int width)
    {
        if (!_rowShapes.TryGetValue(width, out var shape))
        {
            _batchSequenceShape ??= _g.Node("Shape", [_mask]);
            _rowShapes[width] = shape = _g.Node("Concat", [_batchSequenceShape, _g.Ints(width)], null, IntAttr("axis", 0));
        }
        return shape;
    }

    private string LayerNorm(string x, string prefix, out LayerNormTape tape)
    {
        var g = _g;
        var gain = Weight(prefix + ".weight");
        var bias = Weight(prefix + ".bias");
        if (!_differentiable)
        {
            tape = new LayerNormTape("", "", gain);
            return g.Node("LayerNormalization", [x, gain, bias], null,
                IntAttr("axis", -1), FloatAttr("epsilon", (float)_c.LayerNormEps));
        }
        // Spelled out so the backward pass can reuse the normalized values and the inverse deviation.
        var centered = g.Sub(x, g.ReduceMean(x, -1));
        var variance = g.ReduceMean(g.Mul(centered, centered), -1);
        var inverseStd = g.Unary("Reciprocal", g.Unary("Sqrt", g.Add(variance, g.Scalar(_c.LayerNormEps))));
        var normalized = g.Mul(centered, inverseStd);
        tape = new LayerNormTape(normalized, inverseStd, gain);
        return g.Add(g.Mul(normalized, gain), bias);
    }

    private string Activation(string x)
    {
        var g = _g;
        if (!_differentiable && g.ElementType == OnnxElementType.SinglePrecision)
        {
            // One fused kernel instead of ~10 element-wise passes; float64 graphs and the gradient graph (which needs
            // the pre-activation only) spell the formula out below.
            return _c.HiddenAct == EncoderActivation.GeluErf
                ? g.Node("Gelu", [x])
                : g.Node("Gelu", [x], null, StringAttr("approximate", "tanh"));
        }
        var half = g.Scalar(0.5);
        if (_c.HiddenAct == EncoderActivation.GeluErf)
        {
            return g.Mul(g.Mul(x, half), g.Add(g.Scalar(1), Erf(g.Mul(x, g.Scalar(1 / Math.Sqrt(2))))));
        }
        return g.Mul(g.Mul(x, half), g.Add(g.Scalar(1), g.Unary("Tanh", GeluTanhArgument(x))));
    }

    /// <summary>
    /// erf(x). ONNX Runtime implements Erf for float32 only, so float64 graphs evaluate it with the same series as
    /// <see cref="EncoderReference.Erf"/>: Taylor series for |x| ≤ 3, the erfc continued fraction beyond (both ~1e-13).
    /// </summary>
    private string Erf(string x)
    {
        var g = _g;
        if (g.ElementType == OnnxElementType.SinglePrecision)
        {
            return g.Unary("Erf", x);
        }
        var z = g.Unary("Abs", x);
        var three = g.Scalar(EncoderReference.ErfSeriesLimit);
        // Taylor: erf(z) = 2/sqrt(pi) * z * sum_n (-1)^n z^(2n) / (n! (2n+1)), Horner in z², on z clipped to the series range.
        var small = g.Node("Min", [z, three]);
        var square = g.Mul(small, small);
        var coefficients = EncoderReference.ErfTaylorCoefficients();
        var series = g.Scalar(coefficients[^1]);
        for (var n = coefficients.Length - 2; n >= 0; n--)
        {
            series = g.Add(g.Mul(series, square), g.Scalar(coefficients[n]));
        }
        var taylor = g.Mul(g.Mul(series, small), g.Scalar(2 / Math.Sqrt(Math.PI)));
        // Continued fraction: erfc(z) = exp(-z²)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), on z ≥ 3.
        var large = g.Node("Max", [z, three]);
        var fraction = g.Scalar(0);
        for (var n = EncoderReference.ErfContinuedFractionTerms; n >= 1; n--)
        {
            fraction = g.Div(g.Scalar(n / 2.0), g.Add(large, fraction));
        }
        var tail = g.Div(g.Mul(g.Unary("Exp", g.Unary("Neg", g.Mul(large, large))), g.Scalar(1 / Math.Sqrt(Math.PI))), g.Add(large, fraction));
        var magnitude = g.Node("Where", [g.Node("Less", [z, three]), taylor, g.Sub(g.Scalar(1), tail)]);
        return g.Mul(magnitude, g.Unary("Sign", x));
    }

    private const double GeluCubic = 0.044715;

    /// <summary>sqrt(2/π) · (x + 0.044715 x³), the argument of tanh in gelu_new.</summary>
    private string GeluTanhArgument(string x)
    {
        var g = _g;
        var cube = g.Mul(g.Mul(x, x), x);
        return g.Mul(g.Add(x, g.Mul(cube, g.Scalar(GeluCubic))), g.Scalar(Math.Sqrt(2 / Math.PI)));
    }

    private string Weight(string name)
    {
        var tensor = _checkpoint[name];
        return _g.Initializer(name, tensor.Data, tensor.Shape);
    }

    // ------------------------------------------------------------------ backward

    private string EncoderBackward(string dHidden, EncoderTape tape)
    {
        var g = _g;
        for (var i = tape.Layers.Count - 1; i >= 0; i--)
        {
            dHidden = LayerBackward(dHidden, tape.Layers[i]);
        }
        // hidden0 = [projection](LayerNorm(words + positions + types)): the sum passes the gradient straight to words.
        var dEmbedded = _names.EmbeddingProjection is { } projection ? g.MatMul(dHidden, Weight(projection + ".weight")) : dHidden;
        return LayerNormBackward(dEmbedded, tape.EmbeddingNorm);
    }

    private string LayerBackward(string dOutput, LayerTape tape)
    {
        var g = _g;
        // output = LN(ffn_output(act(ffn(a))) + a)
        var dSum = LayerNormBackward(dOutput, tape.Norm);
        var dActivated = g.MatMul(dSum, Weight(tape.Names.Output + ".weight"));
        var dPre = g.Mul(dActivated, ActivationDerivative(tape.FfnPreActivation));
        var dAttended = g.Add(dSum, g.MatMul(dPre, Weight(tape.Names.Intermediate + ".weight")));
        return AttentionBackward(dAttended, tape.Attention);
    }

    private string AttentionBackward(string dOutput, AttentionTape tape)
    {
        var g = _g;
        // output = LN(x + dense(merge(softmax(q·kᵀ·s + mask) · v)))
        var dSum = LayerNormBackward(dOutput, tape.Norm);
        var dContext = SplitHeads(g.MatMul(dSum, Weight(tape.Names.AttentionOutput + ".weight")));
        var dProbs = g.MatMul(dContext, g.Transpose(tape.Value, 0, 1, 3, 2));
        var dValue = g.MatMul(g.Transpose(tape.Probs, 0, 1, 3, 2), dContext);
        // Softmax Jacobian: dS = P ⊙ (dP − Σ_j dP·P); masked keys have P = 0 and get no gradient.
        var dScores = g.Mul(tape.Probs, g.Sub(dProbs, g.ReduceSum(g.Mul(dProbs, tape.Probs), -1)));
        var scale = g.Scalar(1 / Math.Sqrt(_c.HeadSize));
        var dQuery = g.Mul(g.MatMul(dScores, tape.Key), scale);
        var dKey = g.Mul(g.MatMul(g.Transpose(dScores, 0, 1, 3, 2), tape.Query), scale);
        var dx = dSum;
        foreach (var (gradient, projection) in new[] { (dQuery, tape.Names.Query), (dKey, tape.Names.Key), (dValue, tape.Names.Value) })
        {
            dx = g.Add(dx, g.MatMul(MergeHeads(gradient), Weight(projection + ".weight")));
        }
        return dx;
    }

    private string LayerNormBackward(string dOutput, LayerNormTape tape)
    {
        var g = _g;
        // dx = r · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)), with dx̂ = dy ⊙ γ and r = 1/sqrt(var + eps).
        var dNormalized = g.Mul(dOutput, tape.Gain);
        var meanGradient = g.ReduceMean(dNormalized, -1);
        var meanProjection = g.ReduceMean(g.Mul(dNormalized, tape.Normalized), -1);
        var centeredGradient = g.Sub(g.Sub(dNormalized, meanGradient), g.Mul(tape.Normalized, meanProjection));
        return g.Mul(centeredGradient, tape.InverseStd);
    }

    private string ActivationDerivative(string x)
    {
        var g = _g;
        var one = g.Scalar(1);
        var half = g.Scalar(0.5);
        if (_c.HiddenAct == EncoderActivation.GeluErf)
        {
            // d/dx [x·Φ(x)] = Φ(x) + x·φ(x)
            var cdf = g.Mul(half, g.Add(one, Erf(g.Mul(x, g.Scalar(1 / Math.Sqrt(2))))));
            var pdf = g.Mul(g.Unary("Exp", g.Mul(g.Mul(x, x), g.Scalar(-0.5))), g.Scalar(1 / Math.Sqrt(2 * Math.PI)));
            return g.Add(cdf, g.Mul(x, pdf));
        }
        // d/dx [½x(1 + tanh u)] = ½(1 + t) + ½x(1 − t²)·u', u' = sqrt(2/π)(1 + 3·0.044715·x²)
        var t = g.Unary("Tanh", GeluTanhArgument(x));
        var du = g.Mul(g.Add(one, g.Mul(g.Mul(x, x), g.Scalar(3 * GeluCubic))), g.Scalar(Math.Sqrt(2 / Math.PI)));
        var outer = g.Mul(half, g.Add(one, t));
        var inner = g.Mul(g.Mul(g.Mul(half, x), g.Sub(one, g.Mul(t, t))), du);
        return g.Add(outer, inner);
    }
}
