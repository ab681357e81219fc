using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Tests.Projection;

public class PcaTests
{
    [Fact]
    public void Finds_the_axes_of_a_rotated_rectangle()
    {
        // Corners (±3, ±1) rotated by 30° and shifted by (5, −2). Covariance (n − 1 = 3): 4·9/3 = 12 along the
        // rotated x axis, 4·1/3 = 4/3 along the rotated y axis; axes (cos 30°, sin 30°) and (−sin 30°, cos 30°),
        // signed so the larger-magnitude coordinate is positive.
        var angle = Math.PI / 6;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        var corners = new[] { (3.0, 1.0), (3.0, -1.0), (-3.0, 1.0), (-3.0, -1.0) };
        var values = corners.SelectMany(p => new[] { (float)((cos * p.Item1) - (sin * p.Item2) + 5), (float)((sin * p.Item1) + (cos * p.Item2) - 2) }).ToArray();
        var model = Pca.Fit(new RowMatrix(values, 4, 2), 2);
        Assert.Equal(12, model.ExplainedVariance[0], 1e-4);
        Assert.Equal(4.0 / 3, model.ExplainedVariance[1], 1e-4);
        Assert.Equal(cos, model.Components[0], 1e-5);
        Assert.Equal(sin, model.Components[1], 1e-5);
        Assert.Equal(-sin, model.Components[2], 1e-5);
        Assert.Equal(cos, model.Components[3], 1e-5);
        Assert.Equal([5f, -2f], model.Mean.Select(m => MathF.Round(m, 4)));
        var projected = model.Transform(new RowMatrix(values, 4, 2));
        Assert.Equal(3, projected.Values[0], 1e-4);
        Assert.Equal(1, projected.Values[1], 1e-4);
    }

    [Fact]
    public void Recovers_a_planted_subspace_in_high_dimensions()
    {
        // 50-D data: uniform on [−5, 5] along e7 (variance 25/3), on [−3, 3] along e3 (variance 3), ±0.01 noise elsewhere.
        var random = new SquadAlbert.Analysis.Data.SplitMix64(11);
        const int n = 400;
        var values = new float[n * 50];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < 50; c++)
            {
                values[(i * 50) + c] = 0.01f * (float)(random.NextBelow(2001) - 1000) / 1000;
            }
            values[(i * 50) + 7] += (float)(5 * (random.NextBelow(2001) - 1000) / 1000.0);
            values[(i * 50) + 3] += (float)(3 * (random.NextBelow(2001) - 1000) / 1000.0);
        }
        var model = Pca.Fit(new RowMatrix(values, n, 50), 2, seed: 1);
        Assert.Equal(1, model.Components[7], 1e-3);
        Assert.Equal(1, model.Components[50 + 3], 1e-3);
        Assert.True(model.ExplainedVariance[0] > model.ExplainedVariance[1]);
    }

    [Fact]
    public void Jacobi_solves_a_known_symmetric_matrix()
    {
        // [[2, 1], [1, 2]] has eigenvalues 3 (axis (1, 1)/√2) and 1 (axis (1, −1)/√2).
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(3, values[0], 1e-12);
        Assert.Equal(1, values[1], 1e-12);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(vectors[0]), 1e-12);
        Assert.Equal(vectors[0], vectors[2], 1e-12);
        Assert.Equal(vectors[1], -vectors[3], 1e-12);
    }
}
