namespace SquadAlbert.Analysis.Data;

/// <summary>
/// SQuAD's <c>answer_start</c> counts Unicode code points (Python string indices); .NET strings index UTF-16 code units.
/// The two differ only after characters outside the Basic Multilingual Plane, which take two code units.
/// </summary>
public static class SquadOffsets
{
    /// <summary>Maps a code-point index to a UTF-16 index; -1 when it lies beyond the string.</summary>
    public static int CodePointToUtf16(string text, int codePoints)
    {
        ArgumentNullException.ThrowIfNull(text);
        var utf16 = 0;
        for (var seen = 0; seen < codePoints; seen++)
        {
            if (utf16 >= text.Length)
            {
                return -1;
            }
            utf16 += char.IsSurrogatePair(text, utf16) ? 2 : 1;
        }
        return utf16;
    }

    /// <summary>Maps a UTF-16 index to a code-point index (the Python index of the same position).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the string or splits a surrogate pair.</exception>
    public static int Utf16ToCodePoint(string text, int utf16)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(utf16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf16, text.Length);
        if (SplitsSurrogatePair(text, utf16))
        {
            throw new ArgumentOutOfRangeException(nameof(utf16), utf16, "the index falls between the two halves of a surrogate pair");
        }
        var codePoints = 0;
        for (var i = 0; i < utf16; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            codePoints++;
        }
        return codePoints;
    }

    /// <summary>True when <paramref name="utf16"/> lies between a high and a low surrogate of one character.</summary>
    public static bool SplitsSurrogatePair(string text, int utf16)
    {
        ArgumentNullException.ThrowIfNull(text);
        return utf16 > 0 && utf16 < text.Length && char.IsSurrogatePair(text[utf16 - 1], text[utf16]);
    }
}
