using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Tests.Vectors;

public class VectorMathTests
{
    // Lengths below, at and above the SIMD width (4, 8 or 16 lanes), so both the vector loop and the scalar tail run.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(37)]
    public void Dot_and_squared_euclidean_match_the_definitions(int length)
    {
        var x = Enumerable.Range(0, length).Select(i => (float)((i % 5) - 2)).ToArray();
        var y = Enumerable.Range(0, length).Select(i => (float)((i % 3) + 1)).ToArray();
        // Small integers: every partial sum is exact in float, so the SIMD order cannot change the result.
        Assert.Equal(x.Zip(y, (a, b) => a * b).Sum(), VectorMath.Dot(x, y));
        Assert.Equal(x.Zip(y, (a, b) => (a - b) * (a - b)).Sum(), VectorMath.SquaredEuclidean(x, y));
    }

    [Fact]
    public void Kernels_reject_vectors_of_different_lengths()
    {
        Assert.Throws<ArgumentException>(() => VectorMath.Dot([1f, 2f], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => VectorMath.SquaredEuclidean([1f, 2f, 3f], [1f, 2f]));
    }

    [Fact]
    public void NormalizeInPlace_scales_to_unit_length_and_leaves_zero_vectors_zero()
    {
        float[] vector = [3f, 4f];
        VectorMath.NormalizeInPlace(vector);
        Assert.Equal([0.6f, 0.8f], vector);

        float[] zero = [0f, 0f, 0f];
        VectorMath.NormalizeInPlace(zero);
        Assert.Equal([0f, 0f, 0f], zero);
    }

    [Fact]
    public void NormalizeInPlace_survives_components_whose_squares_overflow_float()
    {
        float[] vector = [3e30f, 4e30f];
        VectorMath.NormalizeInPlace(vector);
        Assert.Equal(0.6f, vector[0], 6);
        Assert.Equal(0.8f, vector[1], 6);
    }

    [Fact]
    public void NormalizeInPlace_rejects_non_finite_values() =>
        Assert.Throws<ArgumentException>(() => VectorMath.NormalizeInPlace(new[] { 1f, float.NaN }));

    [Fact]
    public void NormalizedRows_copies_and_leaves_the_input_alone()
    {
        var input = new RowMatrix([0f, 5f, 0f, 0f, 1f, 1f], 3, 2);
        var unit = VectorMath.NormalizedRows(input);
        Assert.Equal([0f, 5f, 0f, 0f, 1f, 1f], input.Values);
        Assert.Equal(3, unit.Rows);
        Assert.Equal([0f, 1f], unit.Row(0).ToArray());
        Assert.Equal([0f, 0f], unit.Row(1).ToArray());
        Assert.Equal(MathF.Sqrt(0.5f), unit.Row(2)[0], 6);
        Assert.Equal(MathF.Sqrt(0.5f), unit.Row(2)[1], 6);
    }

    [Fact]
    public void TryNormalizeInPlace_scales_or_reports_a_collapsed_vector_untouched()
    {
        double[] vector = [0, 3, 4];
        Assert.True(VectorMath.TryNormalizeInPlace(vector, 1e-10));
        Assert.Equal([0, 0.6, 0.8], vector);

        double[] tiny = [1e-12, 0];
        Assert.False(VectorMath.TryNormalizeInPlace(tiny, 1e-10));
        Assert.Equal([1e-12, 0], tiny);
        Assert.True(VectorMath.TryNormalizeInPlace(tiny, 0));
        Assert.Equal([1, 0], tiny);

        double[] zero = [0, 0];
        Assert.False(VectorMath.TryNormalizeInPlace(zero, 0));
        Assert.Equal([0, 0], zero);
    }

    [Fact]
    public void RemoveComponent_leaves_the_part_orthogonal_to_the_unit_vector()
    {
        double[] vector = [2, 3, 5];
        VectorMath.RemoveComponent(vector, [0, 1, 0]);
        Assert.Equal([2, 0, 5], vector);
        Assert.Equal(2 * 1 + 3 * 4 + 5 * 6, VectorMath.Dot([2.0, 3, 5], [1.0, 4, 6]));
        Assert.Throws<ArgumentException>(() => VectorMath.Dot([1.0], [1.0, 2]));
    }

    [Fact]
    public void RowMatrix_rejects_values_that_do_not_fill_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new RowMatrix(new float[5], 2, 3));
        Assert.Equal("values", error.ParamName);
        Assert.Equal([4f, 5f, 6f], new RowMatrix([1f, 2f, 3f, 4f, 5f, 6f], 2, 3).Row(1).ToArray());
    }
}
