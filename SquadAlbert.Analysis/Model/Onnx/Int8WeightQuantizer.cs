using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>A linear layer's weight in 8 bits: <c>W[o, i] ≈ Scales[o] · Values[i, o]</c>.</summary>
/// <param name="Values">Signed 8-bit values in [-127, 127], laid out [in, out] (row-major): the B operand of
/// <c>x · B</c>, as ONNX Runtime's integer matrix products take it.</param>
/// <param name="Scales">One scale per output channel (length out).</param>
/// <param name="Inputs">The number of input channels (rows of <paramref name="Values"/>).</param>
/// <param name="Outputs">The number of output channels (columns of <paramref name="Values"/>).</param>
public sealed record QuantizedWeight(sbyte[] Values, float[] Scales, int Inputs, int Outputs)
{
    /// <summary>The float weight these values stand for, [out, in] like the original.</summary>
    public float Dequantized(int output, int input) => Scales[output] * Values[input * Outputs + output];
}

/// <summary>
/// Symmetric per-output-channel int8 quantisation of a linear weight: each output channel (a row of Hugging Face's
/// [out, in] weight) gets its own scale <c>max|w| / 127</c>, so a channel with small weights keeps its resolution
/// instead of sharing the range of the largest channel. Symmetric (zero point 0) because int8 weights with a zero
/// point would cost the kernel a correction term per output; -128 is left unused so the range is symmetric too.
/// </summary>
public static class Int8WeightQuantizer
{
    /// <summary>The largest magnitude of a quantised value.</summary>
    public const int MaxMagnitude = 127;

    /// <summary>Quantises <paramref name="weight"/> [out, in] per output channel (values rounded half to even).</summary>
    public static QuantizedWeight PerOutputChannel(FloatTensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
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
            var scale = largest > 0 ? largest / MaxMagnitude : 1f;
            scales[o] = scale;
            for (var i = 0; i < inputs; i++)
            {
                var q = Math.Round(row[i] / scale, MidpointRounding.ToEven);
                values[i * outputs + o] = (sbyte)Math.Clamp(q, -MaxMagnitude, MaxMagnitude);
            }
        }
        return new QuantizedWeight(values, scales, inputs, outputs);
    }
}
