using System.Numerics;
using System.Runtime.InteropServices;

namespace SquadAlbert.Analysis.Projection;

/// <summary>SIMD kernels shared by the neighbour searches and the projections.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var width = Vector<float>.Count;
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        var accumulator = Vector<float>.Zero;
        for (var i = 0; i < xs.Length; i++)
        {
            accumulator += xs[i] * ys[i];
        }
        var sum = Vector.Sum(accumulator);
        for (var i = xs.Length * width; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    public static float SquaredEuclidean(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var width = Vector<float>.Count;
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        var accumulator = Vector<float>.Zero;
        for (var i = 0; i < xs.Length; i++)
        {
            var difference = xs[i] - ys[i];
            accumulator += difference * difference;
        }
        var sum = Vector.Sum(accumulator);
        for (var i = xs.Length * width; i < x.Length; i++)
        {
            var difference = x[i] - y[i];
            sum += difference * difference;
        }
        return sum;
    }
}
