using System.Globalization;

namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// Times as every table stores them: UTC text with milliseconds, <c>2026-01-01T12:00:00.000Z</c>. Text, because SQLite has
/// no time type and this form sorts as time does; the one format, because every database written so far holds it.
/// </summary>
public static class StoredTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary><paramref name="time"/> as it reads back once stored: UTC, whole milliseconds. A record built from a time it
    /// is about to store carries this, so it equals the record read back later.</summary>
    public static DateTimeOffset AsStored(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Reads a stored time; <paramref name="source"/> names the row and column in errors, e.g. "run 3 created_at".</summary>
    /// <exception cref="InputException">The text is not a time.</exception>
    public static DateTimeOffset Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The exact format first (every row this code writes); any ISO 8601 time a hand-edited row may hold after it.
        if (DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            return time.ToUniversalTime();
        }
        throw new InputException($"{source}: '{text}' is not a time (expected {Format}).");
    }
}
