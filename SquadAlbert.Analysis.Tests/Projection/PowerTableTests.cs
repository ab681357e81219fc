using SquadAlbert.Analysis.Projection;

namespace SquadAlbert.Analysis.Tests.Projection;

public class PowerTableTests
{
    [Theory]
    [InlineData(0.8950609f)] // b for min_dist 0.1 (the layout's repulsion and attraction)
    [InlineData(1.929f)] // b for min_dist 0.001
    [InlineData(0.5f)]
    [InlineData(-0.3f)]
    public void Interpolation_stays_within_the_second_derivative_bound(float exponent)
    {
        var table = new PowerTable(exponent);
        // Linear interpolation over a bin [x0, x0(1 + h)], h ≤ 1/64: relative error ≤ |y(y − 1)|/8 · h², plus float rounding.
        var bound = (Math.Abs(exponent * (exponent - 1)) / 8 * Math.Pow(2, -2 * PowerTable.BinBits)) + 4e-7;
        var worst = 0.0;
        for (double e = PowerTable.MinExponent; e < PowerTable.MaxExponent; e += 0.00037)
        {
            var x = (float)Math.Pow(2, e);
            var exact = Math.Pow(x, exponent);
            worst = Math.Max(worst, Math.Abs(table.Pow(x) - exact) / exact);
        }
        Assert.True(worst <= bound, $"worst relative error {worst:E2} > bound {bound:E2}");
        Assert.True(worst > bound / 20, $"worst relative error {worst:E2}: is the test reaching the interpolation?");
    }

    [Theory]
    [InlineData(4f, 0.5f, 2f)]
    [InlineData(0.25f, -1f, 4f)]
    [InlineData(1f, 0.8950609f, 1f)]
    [InlineData(1024f, 0.1f, 2f)]
    public void Bin_starts_are_exact(float x, float exponent, float expected) =>
        Assert.Equal(expected, new PowerTable(exponent).Pow(x), expected * 1e-6f);

    [Fact]
    public void Values_outside_the_table_fall_back_to_the_library()
    {
        var table = new PowerTable(0.8950609f);
        foreach (var x in new[] { 0f, 1e-40f, 1e-13f, 2e12f, float.PositiveInfinity, -1f })
        {
            Assert.Equal(MathF.Pow(x, 0.8950609f), table.Pow(x));
        }
        Assert.True(float.IsNaN(table.Pow(float.NaN)));
    }
}
