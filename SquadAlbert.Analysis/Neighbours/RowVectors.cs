using System.Numerics;
using System.Runtime.InteropServices;

namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// Vector arithmetic on rows of row-major <c>float[]</c> matrices (n rows × d columns), shared by the neighbour
/// search and the clustering algorithms.
/// </summary>
public static class RowVectors
{
    /// <summary>Throws unless <paramref name="matrix"/> holds exactly <paramref name="rows"/> × <paramref name="columns"/> values.</summary>
    public static void RequireShape(float[] matrix, int rows, int columns, string paramName)
    {
        ArgumentNullException.ThrowIfNull(matrix, paramName);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != matrix.Length)
        {
            throw new ArgumentException(
                $"matrix has {matrix.Length} values, expected {rows} rows × {columns} columns = {(long)rows * columns}", paramName);
        }
    }

    /// <summary>Row <paramref name="row"/> of a row-major matrix with <paramref name="columns"/> columns.</summary>
    public static ReadOnlySpan<float> Row(float[] matrix, int row, int columns) => matrix.AsSpan(row * columns, columns);

    /// <summary>Σ (a_i − b_i)², accumulated in SIMD lanes.</summary>
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"vector lengths differ: {a.Length} and {b.Length}", nameof(b));
        }
        var acc = Vector<float>.Zero;
        var i = 0;
        if (a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var v = 0; v < va.Length; v++)
            {
                var diff = va[v] - vb[v];
                acc += diff * diff;
            }
            i = va.Length * Vector<float>.Count;
        }
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            var diff = a[i] - b[i];
            sum += diff * diff;
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

    /// <summary>A copy of the matrix with every row scaled to unit L2 norm (zero rows stay zero).</summary>
    public static float[] NormalizedRows(float[] matrix, int rows, int columns)
    {
        RequireShape(matrix, rows, columns, nameof(matrix));
        var copy = (float[])matrix.Clone();
        for (var r = 0; r < rows; r++)
        {
            NormalizeInPlace(copy.AsSpan(r * columns, columns));
        }
        return copy;
    }
}
