using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class Int8WeightQuantizerTests
{
    /// <summary>A Hugging Face linear weight [out = 3, in = 4]: one channel whose scale is exactly 1 (so rounding is
    /// visible), one ordinary channel, one all-zero channel.</summary>
    private static readonly FloatTensor HandMade = new([3, 4],
    [
        127f, -63.5f, 2.5f, 0.4f,
        -0.3f, 0.1f, 0f, 0.09f,
        0f, 0f, 0f, 0f,
    ]);

    [Fact]
    public void Each_output_channel_gets_its_largest_magnitude_over_127_as_scale()
    {
        var quantized = Int8WeightQuantizer.PerOutputChannel(HandMade);

        Assert.Equal((4, 3, 127), (quantized.Inputs, quantized.Outputs, quantized.MaxMagnitude));
        Assert.Equal(1f, quantized.Scales[0]);
        Assert.Equal(0.3f / 127, quantized.Scales[1], 1e-9f);
        Assert.Equal(1f, quantized.Scales[2]);
    }

    [Fact]
    public void Values_are_rounded_half_to_even_and_laid_out_in_by_out()
    {
        var quantized = Int8WeightQuantizer.PerOutputChannel(HandMade);

        // Values[i * out + o]: column o is output channel o.
        sbyte[] channel0 = [127, -64, 2, 0]; // -63.5 -> -64 and 2.5 -> 2 (half to even), 0.4 -> 0
        sbyte[] channel1 = [-127, 42, 0, 38]; // 0.1 / (0.3 / 127) = 42.3, 0.09 / (0.3 / 127) = 38.1
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(channel0[i], quantized.Values[i * 3]);
            Assert.Equal(channel1[i], quantized.Values[i * 3 + 1]);
            Assert.Equal(0, quantized.Values[i * 3 + 2]);
        }
    }

    [Fact]
    public void The_round_trip_error_is_at_most_half_a_step_and_the_largest_weight_is_exact()
    {
        var quantized = Int8WeightQuantizer.PerOutputChannel(HandMade);

        for (var o = 0; o < 3; o++)
        {
            for (var i = 0; i < 4; i++)
            {
                var original = HandMade.Data[o * 4 + i];
                Assert.True(Math.Abs(quantized.Dequantized(o, i) - original) <= quantized.Scales[o] / 2 * (1 + 1e-6),
                    $"w[{o},{i}] = {original} came back as {quantized.Dequantized(o, i)}");
            }
        }
        Assert.Equal(127f, quantized.Dequantized(0, 0));
        Assert.Equal(-0.3f, quantized.Dequantized(1, 0), 1e-7f);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0f, quantized.Dequantized(2, i)));
    }

    [Theory]
    [InlineData(Int8WeightQuantizer.MaxMagnitude)]
    [InlineData(Int8WeightQuantizer.ReducedRangeMagnitude)]
    public void A_random_matrix_stays_within_the_range_and_half_a_step(int magnitude)
    {
        var random = new Random(5);
        var (outputs, inputs) = (16, 24);
        var weight = new FloatTensor([outputs, inputs], [.. Enumerable.Range(0, outputs * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1) * (1 + random.Next(10)))]);

        var quantized = Int8WeightQuantizer.PerOutputChannel(weight, magnitude);

        Assert.All(quantized.Values, v => Assert.InRange((int)v, -magnitude, magnitude));
        for (var o = 0; o < outputs; o++)
        {
            var row = weight.Data.AsSpan(o * inputs, inputs).ToArray();
            var largest = row.Max(Math.Abs);
            Assert.Equal(largest / magnitude, quantized.Scales[o], largest * 1e-6f);
            // The channel's largest weight maps to ±magnitude.
            Assert.Contains(Enumerable.Range(0, inputs), i => Math.Abs(quantized.Values[i * outputs + o]) == magnitude);
            for (var i = 0; i < inputs; i++)
            {
                Assert.True(Math.Abs(quantized.Dequantized(o, i) - row[i]) <= quantized.Scales[o] / 2 * (1 + 1e-5));
            }
        }
    }

    [Fact]
    public void Only_matrices_and_magnitudes_from_1_to_127_are_accepted()
    {
        Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.PerOutputChannel(new FloatTensor([2], [1f, 2f])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Int8WeightQuantizer.PerOutputChannel(HandMade, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Int8WeightQuantizer.PerOutputChannel(HandMade, 128));
    }
}
