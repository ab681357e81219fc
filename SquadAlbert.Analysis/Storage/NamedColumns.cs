using Microsoft.Data.Sqlite;

namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// Reads a row's columns by name, so a reader does not break (or silently read the wrong column) when a select list
/// gains, loses or reorders a column. Microsoft.Data.Sqlite caches the name lookup per reader.
/// </summary>
internal static class NamedColumns
{
    public static string Text(this SqliteDataReader row, string column) => row.GetString(row.GetOrdinal(column));

    public static string? TextOrNull(this SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }

    public static int Int32(this SqliteDataReader row, string column) => row.GetInt32(row.GetOrdinal(column));

    public static int? Int32OrNull(this SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetInt32(ordinal);
    }

    public static long Int64(this SqliteDataReader row, string column) => row.GetInt64(row.GetOrdinal(column));

    public static double Real(this SqliteDataReader row, string column) => row.GetDouble(row.GetOrdinal(column));

    public static double? RealOrNull(this SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);
    }

    /// <summary>A 0/1 column.</summary>
    public static bool Flag(this SqliteDataReader row, string column) => row.GetInt64(row.GetOrdinal(column)) != 0;

    /// <summary>A time column (<see cref="StoredTime"/>); <paramref name="source"/> names the row in errors.</summary>
    public static DateTimeOffset Time(this SqliteDataReader row, string column, string source) =>
        StoredTime.Parse(row.Text(column), $"{source} {column}");

    public static DateTimeOffset? TimeOrNull(this SqliteDataReader row, string column, string source) =>
        row.TextOrNull(column) is { } text ? StoredTime.Parse(text, $"{source} {column}") : null;
}
