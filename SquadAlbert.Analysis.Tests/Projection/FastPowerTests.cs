using SquadAlbert.Analysis.Projection;

namespace SquadAlbert.Analysis.Tests.Projection;

public class FastPowerTests
{
    [Fact]
    public void Power_is_within_its_documented_bound_of_the_exact_power()
    {
        // The layout's exponents: b − 1 and b for min_dist 0..0.99 (b ≈ 0.6 to 1.9), and more; bases over the float range.
        var worst = 0.0;
        foreach (var y in new[] { -1.0f, -0.5f, -0.1049f, 0.05f, 0.6f, 0.8951f, 1f, 1.5f, 1.93f })
        {
            for (var e = -40.0; e <= 40.0; e += 0.0137)
            {
                var x = (float)Math.Pow(10, e);
                var exact = Math.Pow(x, y);
                if (exact is < 1e-37 or > 1e37)
                {
                    continue;
                }
                worst = Math.Max(worst, Math.Abs(FastPower.Pow(x, y) - exact) / exact);
            }
        }
        Assert.True(worst < 2e-5, $"worst relative error {worst:E2}");
        Assert.True(worst > 0, "the approximation cannot be exact everywhere: is the test reaching it?");
    }

    [Theory]
    [InlineData(1f, 1.7f, 1f)]
    [InlineData(2f, 1f, 2f)]
    [InlineData(4f, 0.5f, 2f)]
    [InlineData(0.25f, -1f, 4f)]
    [InlineData(1024f, 0.1f, 2f)]
    public void Known_powers(float x, float y, float expected) =>
        Assert.Equal(expected, FastPower.Pow(x, y), expected * 2e-6f);

    [Fact]
    public void Log2_is_exact_on_powers_of_two_and_close_across_one_mantissa()
    {
        for (var exponent = -126; exponent <= 127; exponent++)
        {
            Assert.Equal(exponent, FastPower.Log2(MathF.ScaleB(1f, exponent)), 1e-5f);
        }
        for (var m = 1.0; m < 2.0; m += 1e-4)
        {
            Assert.Equal(Math.Log2(m), FastPower.Log2((float)m), 1.5e-6);
        }
    }

    [Fact]
    public void Non_normal_inputs_fall_back_to_the_library_and_overflow_saturates()
    {
        Assert.Equal(0f, FastPower.Pow(0f, 0.9f));
        Assert.Equal(MathF.Pow(1e-40f, 0.5f), FastPower.Pow(1e-40f, 0.5f));
        Assert.True(float.IsNaN(FastPower.Pow(float.NaN, 2f)));
        var saturated = FastPower.Pow(1e30f, 5f);
        Assert.True(float.IsFinite(saturated) && saturated > 1e38f, $"{saturated}");
    }
}
