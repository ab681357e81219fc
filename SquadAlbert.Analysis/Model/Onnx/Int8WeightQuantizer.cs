using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>A linear layer's weight in 8 bits: <c>W[o, i] ≈ Scales[o] · Values[i, o]</c>.</summary>
/// <param name="Values">Signed 8-bit values in [-<paramref name="MaxMagnitude"/>, <paramref name="MaxMagnitude"/>], laid
/// out [in, out] (row-major): the B operand of <c>x · B</c>, as ONNX Runtime's integer matrix products take it.</param>
/// <param name="Scales">One scale per output channel (length out).</param>
/// <param name="Inputs">The number of input channels (rows of <paramref name="Values"/>).</param>
/// <param name="Outputs">The number of output channels (columns of <paramref name="Values"/>).</param>
/// <param name="MaxMagnitude">The largest magnitude a value may take (127, or 63 for the reduced range).</param>
public sealed record QuantizedWeight(sbyte[] Values, float[] Scales, int Inputs, int Outputs, int MaxMagnitude)
{
    /// <summary>The float weight these values stand for, indexed [out, in] like the original.</summary>
    public float Dequantized(int output, int input) => Scales[output] * Values[input * Outputs + output];
}

/// <summary>
/// Symmetric per-output-channel int8 quantisation of a linear weight: each output channel (a row of Hugging Face's
/// [out, in] weight) gets its own scale <c>max|w| / MaxMagnitude</c>, so a channel with small weights keeps its
/// resolution instead of sharing the range of the largest channel. Symmetric (zero point 0) because int8 weights with
/// a zero point would cost the kernel a correction term per output; -128 is never used so the range is symmetric too.
/// <para><b>Reduced range.</b> On x86-64 CPUs without VNNI (AVX2, AVX-512 without VNNI) ONNX Runtime's u8·s8 kernels
/// multiply with <c>vpmaddubsw</c>, which adds two u8·s8 products into a saturating 16-bit lane: 255 · 127 · 2 = 64,770
/// does not fit in 32,767, so large activations meeting large weights of the same sign are clipped. Weights within
/// ±<see cref="ReducedRangeMagnitude"/> (7 bits) never saturate (255 · 63 · 2 = 32,130), at the cost of one bit of weight
/// resolution; ONNX Runtime's own quantiser calls this <c>reduce_range</c>.</para>
/// </summary>
public static class Int8WeightQuantizer
{
    /// <summary>The largest magnitude of a quantised value at full 8-bit range.</summary>
    public const int MaxMagnitude = 127;

    /// <summary>The largest magnitude of a quantised value at the reduced (7-bit) range that u8·s8 kernels without VNNI
    /// compute exactly.</summary>
    public const int ReducedRangeMagnitude = 63;

    /// <summary>
    /// Quantises <paramref name="weight"/> [out, in] per output channel: scale = max|w| / <paramref name="maxMagnitude"/>,
    /// value = round(w / scale) (half to even), so the largest weight of each channel maps to ±<paramref name="maxMagnitude"/>
    /// and every weight is off by at most half a scale. An all-zero channel gets scale 1 and zeros.
    /// </summary>
    /// <param name="maxMagnitude">1 to 127: <see cref="MaxMagnitude"/> or <see cref="ReducedRangeMagnitude"/>.</param>
    public static QuantizedWeight PerOutputChannel(FloatTensor weight, int maxMagnitude = MaxMagnitude)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMagnitude, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMagnitude, MaxMagnitude);
        if (weight.Shape.Length != 2)
        {
            throw new ArgumentException($"a linear weight is a matrix [out, in], this one has shape {weight.ShapeText}.", nameof(weight));
        }
        var (outputs, inputs) = (weight.Shape[0], weight.Shape[1]);
        var values = new sbyte[weight.Data.Length];
        var scales = new float[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var row = weight.Data.AsSpan(o * inputs, inputs);
            var largest = 0f;
            foreach (var w in row)
            {
                largest = Math.Max(largest, Math.Abs(w));
            }
            // An all-zero channel quantises to zeros under any scale; 1 keeps the division finite.
            var scale = largest > 0 ? largest / maxMagnitude : 1f;
            scales[o] = scale;
            for (var i = 0; i < inputs; i++)
            {
                var q = Math.Round(row[i] / scale, MidpointRounding.ToEven);
                values[i * outputs + o] = (sbyte)Math.Clamp(q, -maxMagnitude, maxMagnitude);
            }
        }
        return new QuantizedWeight(values, scales, inputs, outputs, maxMagnitude);
    }
}
