namespace SquadAlbert.Analysis.Vectors;

/// <summary>A dense row-major matrix of <see cref="Rows"/> points with <see cref="Columns"/> coordinates each.</summary>
public readonly record struct RowMatrix
{
    public RowMatrix(float[] values, int rows, int columns)
        : this(values, rows, columns, nameof(values))
    {
    }

    /// <summary>Wraps a caller's flat array, naming the caller's parameter when the shape is wrong.</summary>
    internal RowMatrix(float[] values, int rows, int columns, string paramName)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException(
                $"{values.Length} values cannot form a {rows} x {columns} matrix (expected {(long)rows * columns}).", paramName);
        }
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    public float[] Values { get; }

    public int Rows { get; }

    public int Columns { get; }

    public ReadOnlySpan<float> Row(int index) => Values.AsSpan(index * Columns, Columns);

    internal Span<float> MutableRow(int index) => Values.AsSpan(index * Columns, Columns);
}
