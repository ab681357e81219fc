namespace SquadAlbert.Analysis.Projection;

/// <summary>A square-or-not sparse matrix in compressed sparse row form, columns sorted within each row, no explicit zeros.</summary>
public sealed class SparseMatrix
{
    private SparseMatrix(int rows, int columns, int[] rowStarts, int[] columnIndices, float[] values)
    {
        Rows = rows;
        Columns = columns;
        RowStarts = rowStarts;
        ColumnIndices = columnIndices;
        Values = values;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Row r's entries are at [RowStarts[r], RowStarts[r + 1]).</summary>
    public int[] RowStarts { get; }

    public int[] ColumnIndices { get; }

    public float[] Values { get; }

    public int NonZeroCount => Values.Length;

    /// <summary>Builds from coordinate triples, summing duplicates and dropping zeros (scipy's coo → csr).</summary>
    public static SparseMatrix FromCoordinates(int rows, int columns, ReadOnlySpan<int> rowIndices, ReadOnlySpan<int> columnIndices,
        ReadOnlySpan<float> values)
    {
        if (rowIndices.Length != columnIndices.Length || rowIndices.Length != values.Length)
        {
            throw new ArgumentException("Coordinate arrays differ in length.");
        }
        var counts = new int[rows + 1];
        foreach (var r in rowIndices)
        {
            if ((uint)r >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rowIndices), r, $"Row index outside 0..{rows - 1}.");
            }
            counts[r + 1]++;
        }
        for (var r = 0; r < rows; r++)
        {
            counts[r + 1] += counts[r];
        }
        var next = counts[..^1];
        var cols = new int[values.Length];
        var vals = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if ((uint)columnIndices[i] >= (uint)columns)
            {
                throw new ArgumentOutOfRangeException(nameof(columnIndices), columnIndices[i], $"Column index outside 0..{columns - 1}.");
            }
            var at = next[rowIndices[i]]++;
            cols[at] = columnIndices[i];
            vals[at] = values[i];
        }
        var starts = new int[rows + 1];
        var outCols = new List<int>(values.Length);
        var outVals = new List<float>(values.Length);
        for (var r = 0; r < rows; r++)
        {
            var from = counts[r];
            var to = counts[r + 1];
            Array.Sort(cols, vals, from, to - from);
            for (var i = from; i < to; i++)
            {
                var sum = vals[i];
                while (i + 1 < to && cols[i + 1] == cols[i])
                {
                    sum += vals[++i];
                }
                if (sum != 0)
                {
                    outCols.Add(cols[i]);
                    outVals.Add(sum);
                }
            }
            starts[r + 1] = outCols.Count;
        }
        return new SparseMatrix(rows, columns, starts, [.. outCols], [.. outVals]);
    }

    public SparseMatrix Transpose()
    {
        var (rows, cols, vals) = ToCoordinates();
        return FromCoordinates(Columns, Rows, cols, rows, vals);
    }

    public (int[] Rows, int[] Columns, float[] Values) ToCoordinates()
    {
        var rows = new int[NonZeroCount];
        for (var r = 0; r < Rows; r++)
        {
            rows.AsSpan(RowStarts[r], RowStarts[r + 1] - RowStarts[r]).Fill(r);
        }
        return (rows, (int[])ColumnIndices.Clone(), (float[])Values.Clone());
    }

    /// <summary>The entry at (row, column), zero where none is stored.</summary>
    public float this[int row, int column]
    {
        get
        {
            var at = Array.BinarySearch(ColumnIndices, RowStarts[row], RowStarts[row + 1] - RowStarts[row], column);
            return at >= 0 ? Values[at] : 0f;
        }
    }

    /// <summary>Combines two same-shape matrices entry by entry over the union of their patterns.</summary>
    public static SparseMatrix Combine(SparseMatrix left, SparseMatrix right, Func<float, float, float> combine)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(combine);
        if (left.Rows != right.Rows || left.Columns != right.Columns)
        {
            throw new ArgumentException("Matrices differ in shape.");
        }
        var starts = new int[left.Rows + 1];
        var cols = new List<int>(left.NonZeroCount + right.NonZeroCount);
        var vals = new List<float>(left.NonZeroCount + right.NonZeroCount);
        for (var r = 0; r < left.Rows; r++)
        {
            var i = left.RowStarts[r];
            var j = right.RowStarts[r];
            var iEnd = left.RowStarts[r + 1];
            var jEnd = right.RowStarts[r + 1];
            while (i < iEnd || j < jEnd)
            {
                var ci = i < iEnd ? left.ColumnIndices[i] : int.MaxValue;
                var cj = j < jEnd ? right.ColumnIndices[j] : int.MaxValue;
                var column = Math.Min(ci, cj);
                var a = ci == column ? left.Values[i++] : 0f;
                var b = cj == column ? right.Values[j++] : 0f;
                var value = combine(a, b);
                if (value != 0)
                {
                    cols.Add(column);
                    vals.Add(value);
                }
            }
            starts[r + 1] = cols.Count;
        }
        return new SparseMatrix(left.Rows, left.Columns, starts, [.. cols], [.. vals]);
    }

    /// <summary>y = this · x.</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (var r = 0; r < Rows; r++)
        {
            double sum = 0;
            for (var i = RowStarts[r]; i < RowStarts[r + 1]; i++)
            {
                sum += Values[i] * x[ColumnIndices[i]];
            }
            y[r] = sum;
        }
    }
}
