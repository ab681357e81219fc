using System.Numerics;
using System.Runtime.InteropServices;

namespace SquadAlbert.Analysis.Vectors;

/// <summary>Vector kernels shared by the neighbour searches, the projections and the clusterings.</summary>
public static class VectorMath
{
    /// <summary>Σ x_i·y_i, accumulated in SIMD lanes.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireSameLength(x, y);
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
        var accumulator = Vector<float>.Zero;
        for (var i = 0; i < xs.Length; i++)
        {
            accumulator += xs[i] * ys[i];
        }
        var sum = Vector.Sum(accumulator);
        for (var i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /// <summary>Σ (x_i − y_i)², accumulated in SIMD lanes.</summary>
    public static float SquaredEuclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireSameLength(x, y);
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
        var accumulator = Vector<float>.Zero;
        for (var i = 0; i < xs.Length; i++)
        {
            var difference = xs[i] - ys[i];
            accumulator += difference * difference;
        }
        var sum = Vector.Sum(accumulator);
        for (var i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            var difference = x[i] - y[i];
            sum += difference * difference;
        }
        return sum;
    }

    /// <summary>
    /// Scales <paramref name="vector"/> in place to unit L2 norm. A zero vector has no direction and stays zero,
    /// so its cosine similarity to anything is 0. The norm is accumulated in double so that very large or very
    /// small components neither overflow nor underflow.
    /// </summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        double squares = 0;
        foreach (var x in vector)
        {
            squares += (double)x * x;
        }
        if (!double.IsFinite(squares))
        {
            throw new ArgumentException("vector contains NaN or infinite values", nameof(vector));
        }
        if (squares == 0)
        {
            return;
        }
        var scale = (float)(1 / Math.Sqrt(squares));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }

    /// <summary>A copy of <paramref name="matrix"/> with every row scaled to unit L2 norm (zero rows stay zero).</summary>
    public static RowMatrix NormalizedRows(RowMatrix matrix)
    {
        var copy = new RowMatrix((float[])matrix.Values.Clone(), matrix.Rows, matrix.Columns);
        for (var r = 0; r < copy.Rows; r++)
        {
            NormalizeInPlace(copy.MutableRow(r));
        }
        return copy;
    }

    /// <summary>
    /// Σ x_i·y_i in double, summed in index order rather than in SIMD lanes: the eigen-solvers that use it are
    /// iterative, and a fixed order keeps their results identical on every machine whatever its vector width.
    /// </summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"vector lengths differ: {x.Length} and {y.Length}", nameof(y));
        }
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /// <summary>
    /// Scales <paramref name="vector"/> to unit L2 norm, unless its norm is zero, NaN or below
    /// <paramref name="minimumNorm"/>; then leaves it unchanged and returns false, so the caller decides what a
    /// collapsed direction means (restart, replace, or keep).
    /// </summary>
    public static bool TryNormalizeInPlace(Span<double> vector, double minimumNorm)
    {
        var norm = Math.Sqrt(Dot(vector, vector));
        if (!(norm > 0) || norm < minimumNorm)
        {
            return false;
        }
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }
        return true;
    }

    /// <summary>One Gram–Schmidt step: removes from <paramref name="vector"/> its component along the unit vector <paramref name="unit"/>.</summary>
    public static void RemoveComponent(Span<double> vector, ReadOnlySpan<double> unit)
    {
        var projection = Dot(vector, unit);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] -= projection * unit[i];
        }
    }

    private static void RequireSameLength(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"vector lengths differ: {x.Length} and {y.Length}", nameof(y));
        }
    }
}
