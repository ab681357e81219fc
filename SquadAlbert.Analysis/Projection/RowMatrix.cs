namespace SquadAlbert.Analysis.Projection;

/// <summary>A dense row-major matrix of <see cref="Rows"/> points with <see cref="Columns"/> coordinates each.</summary>
public readonly record struct RowMatrix
{
    public RowMatrix(float[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{values.Length} values cannot form a {rows} x {columns} matrix.", nameof(values));
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
