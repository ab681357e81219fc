using System.Globalization;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

public class PythonFloatTests
{
    [Theory]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(81.3245033112583, "81.3245033112583")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Repr_matches_python_for_known_values(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Repr(value));
    }

    /// <summary>Bit patterns and their repr() from Python 3.11 (tools/reference/squad_v11_reference.py fixtures).</summary>
    [Fact]
    public void Repr_matches_python_for_a_thousand_recorded_values()
    {
        var lines = File.ReadAllLines(TestPaths.Fixture("metrics/python_float_repr.tsv"));
        Assert.True(lines.Length > 1000);
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            var bits = ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var value = BitConverter.UInt64BitsToDouble(bits);
            Assert.Equal(parts[1], PythonFloat.Repr(value));
        }
    }
}
