namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>
/// How the int8 inference graph (<see cref="Inference.InferencePrecision.Int8"/>) quantises an encoder layer's inputs
/// to its linear layers. Both schemes quantise the weights per output channel when the graph is built, within ±63
/// (<see cref="Int8WeightQuantizer"/>: ONNX Runtime's u8·s8 kernels cannot saturate on CPUs without VNNI then), and the
/// activations to uint8 at run time; <c>SquadAlbert.Benchmarks -- int8</c> measures them side by side against fp32, and
/// <see cref="Int8Schemes.Default"/> is the one the measurements chose (see DEVELOPERS.md).
/// </summary>
public enum Int8Scheme
{
    /// <summary>One scale and zero point over the whole [batch, sequence, in] tensor per product:
    /// <c>com.microsoft.DynamicQuantizeMatMul</c>, ONNX Runtime's own dynamic quantisation. BERT's [CLS] row carries
    /// activations ten times larger than the other tokens, which then get a coarse step.</summary>
    PerTensor,

    /// <summary>One scale per token (row), fixed zero point: <c>ReduceMax</c>/<c>ReduceMin</c> and per-axis
    /// <c>QuantizeLinear</c>, once per input (query, key and value share it), then
    /// <c>com.microsoft.MatMulIntegerToFloat</c> (u8·s8), which applies the column scales, and a <c>Mul</c> by the row
    /// scales.</summary>
    PerToken,
}

/// <summary>The scheme <see cref="Inference.InferencePrecision.Int8"/> uses.</summary>
public static class Int8Schemes
{
    /// <summary>The scheme the int8 graph uses unless told otherwise (chosen by the int8 benchmark; see DEVELOPERS.md).</summary>
    public const Int8Scheme Default = Int8Scheme.PerToken;

    /// <summary>The largest weight magnitude <paramref name="scheme"/> quantises to.</summary>
    public static int WeightMagnitude(this Int8Scheme scheme) => scheme switch
    {
        Int8Scheme.PerTensor or Int8Scheme.PerToken => Int8WeightQuantizer.ReducedRangeMagnitude,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown int8 scheme"),
    };
}
