using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Model.Reference;

/// <summary>The outputs of <see cref="EncoderReference.Forward"/> for one unpadded sequence.</summary>
public sealed record ReferenceOutput(double[] StartLogits, double[] EndLogits, double[][] LastHiddenState);

/// <summary>
/// ALBERT or BERT QA forward pass written as plain loops in double precision, straight from the Hugging Face modelling code,
/// to check the ONNX graphs against. Slow by design; for tiny models only.
/// </summary>
public static class EncoderReference
{
    public static ReferenceOutput Forward(QaCheckpoint checkpoint, IReadOnlyList<int> inputIds, IReadOnlyList<int> tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(tokenTypeIds);
        var c = checkpoint.Config;
        var n = inputIds.Count;
        var names = c.ParameterNames;
        var word = checkpoint[names.WordEmbeddings];
        var position = checkpoint[names.PositionEmbeddings];
        var type = checkpoint[names.TokenTypeEmbeddings];
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new double[c.EmbeddingSize];
            for (var k = 0; k < c.EmbeddingSize; k++)
            {
                // Widened before the sum: float + float would round to float32 and put ~1e-7 noise into the "exact" reference.
                x[t][k] = (double)word.Data[inputIds[t] * c.EmbeddingSize + k] + position.Data[t * c.EmbeddingSize + k]
                    + type.Data[tokenTypeIds[t] * c.EmbeddingSize + k];
            }
        }
        x = LayerNorm(checkpoint, x, names.EmbeddingLayerNorm, c.LayerNormEps);
        var h = names.EmbeddingProjection is { } projection ? Linear(checkpoint, x, projection) : x;
        for (var repetition = 0; repetition < c.NumHiddenLayers; repetition++)
        {
            for (var inner = 0; inner < c.InnerGroupNum; inner++)
            {
                h = Layer(checkpoint, h, names.Layer(c.GroupOfRepetition(repetition), inner));
            }
        }
        var logits = Linear(checkpoint, h, EncoderParameterNames.QaOutputs);
        return new ReferenceOutput(logits.Select(l => l[0]).ToArray(), logits.Select(l => l[1]).ToArray(), h);
    }

    private static double[][] Layer(QaCheckpoint checkpoint, double[][] x, LayerParameterNames names)
    {
        var c = checkpoint.Config;
        var n = x.Length;
        var q = Linear(checkpoint, x, names.Query);
        var k = Linear(checkpoint, x, names.Key);
        var v = Linear(checkpoint, x, names.Value);
        var context = new double[n][];
        for (var t = 0; t < n; t++)
        {
            context[t] = new double[c.HiddenSize];
        }
        var d = c.HeadSize;
        for (var head = 0; head < c.NumAttentionHeads; head++)
        {
            var offset = head * d;
            for (var i = 0; i < n; i++)
            {
                var scores = new double[n];
                for (var j = 0; j < n; j++)
                {
                    for (var m = 0; m < d; m++)
                    {
                        scores[j] += q[i][offset + m] * k[j][offset + m];
                    }
                    scores[j] /= Math.Sqrt(d);
                }
                var max = scores.Max();
                var sum = scores.Sum(s => Math.Exp(s - max));
                for (var j = 0; j < n; j++)
                {
                    var p = Math.Exp(scores[j] - max) / sum;
                    for (var m = 0; m < d; m++)
                    {
                        context[i][offset + m] += p * v[j][offset + m];
                    }
                }
            }
        }
        var attended = LayerNorm(checkpoint, AddRows(x, Linear(checkpoint, context, names.AttentionOutput)),
            names.AttentionLayerNorm, c.LayerNormEps);
        var activated = Linear(checkpoint, attended, names.Intermediate)
            .Select(row => row.Select(value => Gelu(value, c.HiddenAct)).ToArray()).ToArray();
        var ffn = Linear(checkpoint, activated, names.Output);
        return LayerNorm(checkpoint, AddRows(ffn, attended), names.OutputLayerNorm, c.LayerNormEps);
    }

    public static double Gelu(double x, EncoderActivation activation) => activation == EncoderActivation.GeluTanh
        ? 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
        : 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>Below this |x| erf uses its Taylor series, above it the erfc continued fraction.</summary>
    public const double ErfSeriesLimit = 3;

    /// <summary>Continued-fraction depth: enough for ~1e-13 at |x| = 3.</summary>
    public const int ErfContinuedFractionTerms = 80;

    /// <summary>(-1)^n / (n! (2n+1)) for n = 0..59: at |x| ≤ 3 the last term is below 1e-20 of the sum.</summary>
    public static double[] ErfTaylorCoefficients()
    {
        var coefficients = new double[60];
        var factorial = 1.0;
        for (var n = 0; n < coefficients.Length; n++)
        {
            factorial *= Math.Max(n, 1);
            coefficients[n] = (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
        return coefficients;
    }

    /// <summary>erf(x) to ~1e-13 (.NET has no Math.Erf): the algorithm the float64 ONNX graphs use too.</summary>
    public static double Erf(double x)
    {
        var z = Math.Abs(x);
        double magnitude;
        if (z < ErfSeriesLimit)
        {
            var coefficients = ErfTaylorCoefficients();
            var series = 0.0;
            for (var n = coefficients.Length - 1; n >= 0; n--)
            {
                series = series * z * z + coefficients[n];
            }
            magnitude = 2 / Math.Sqrt(Math.PI) * z * series;
        }
        else
        {
            var fraction = 0.0;
            for (var n = ErfContinuedFractionTerms; n >= 1; n--)
            {
                fraction = n / 2.0 / (z + fraction);
            }
            magnitude = 1 - Math.Exp(-z * z) / Math.Sqrt(Math.PI) / (z + fraction);
        }
        return x < 0 ? -magnitude : magnitude;
    }

    private static double[][] AddRows(double[][] a, double[][] b) =>
        a.Select((row, t) => row.Select((value, k) => value + b[t][k]).ToArray()).ToArray();

    private static double[][] Linear(QaCheckpoint checkpoint, double[][] x, string prefix)
    {
        var weight = checkpoint[prefix + ".weight"];
        var bias = checkpoint[prefix + ".bias"];
        var (outputs, inputs) = (weight.Shape[0], weight.Shape[1]);
        return x.Select(row =>
        {
            var y = new double[outputs];
            for (var o = 0; o < outputs; o++)
            {
                double sum = bias.Data[o];
                for (var i = 0; i < inputs; i++)
                {
                    sum += weight.Data[o * inputs + i] * row[i];
                }
                y[o] = sum;
            }
            return y;
        }).ToArray();
    }

    private static double[][] LayerNorm(QaCheckpoint checkpoint, double[][] x, string prefix, double eps)
    {
        var gain = checkpoint[prefix + ".weight"].Data;
        var bias = checkpoint[prefix + ".bias"].Data;
        return x.Select(row =>
        {
            var mean = row.Average();
            var variance = row.Average(v => (v - mean) * (v - mean));
            var scale = 1 / Math.Sqrt(variance + eps);
            return row.Select((v, k) => (v - mean) * scale * gain[k] + bias[k]).ToArray();
        }).ToArray();
    }
}
