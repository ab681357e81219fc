using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Reference;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class EncoderReferenceTests
{
    [Theory]
    // Known values of erf (computed with Python math.erf, which is correctly rounded to ~1 ulp).
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.999, 0.9999777698314002)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(-1.5, -0.9661051464753108)]
    public void Erf_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, EncoderReference.Erf(x), 1e-12);

    [Fact]
    public void Gelu_forms_match_known_values()
    {
        Assert.Equal(0.8411919906082768, EncoderReference.Gelu(1, EncoderActivation.GeluTanh), 1e-12);
        Assert.Equal(0.8413447460685429, EncoderReference.Gelu(1, EncoderActivation.GeluErf), 1e-12);
        Assert.Equal(-0.04550026389635842, EncoderReference.Gelu(-2, EncoderActivation.GeluErf), 1e-12);
    }
}
