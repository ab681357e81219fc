using System.Buffers;
using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// Python 3's character rules where they differ from .NET's, shared by the two places that must reproduce Python
/// exactly: the official SQuAD answer normalization and ALBERT's text preprocessing. Checked code point by code
/// point against tables Python itself produced (PythonUnicodeConformanceTests).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>str.lower</c> applies the full case mapping (U+0130 becomes two code points) and the Final_Sigma rule.</item>
/// <item><c>\b</c> in a Python 3 <c>re</c> str pattern treats every Unicode letter and number as a word character,
/// but not combining marks.</item>
/// <item><c>str.split()</c> splits on Python's whitespace set, which includes U+001C..U+001F and excludes U+200B.</item>
/// </list>
/// </remarks>
internal static class PythonUnicode
{
    private const int CapitalSigma = 0x03A3;
    private const char SmallSigma = '\u03C3';
    private const char FinalSigma = '\u03C2';
    private const int CapitalIWithDotAbove = 0x0130;

    /// <summary>Python's <c>str.lower()</c>. A lone surrogate (JSON can escape one) has no case and stays as it is.</summary>
    public static string Lower(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        Span<char> lowered = stackalloc char[MaxLoweredLength];
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var length) != OperationStatus.Done)
            {
                builder.Append(text[index]);
            }
            else
            {
                builder.Append(lowered[..LowerAt(text, index, rune, lowered)]);
            }
            index += length;
        }
        return builder.ToString();
    }

    /// <summary>Room <see cref="LowerAt"/> needs: the longest lowercase mapping, U+0130 to "i\u0307".</summary>
    public const int MaxLoweredLength = 2;

    /// <summary>
    /// Python's lowercase of <paramref name="rune"/>, which stands at <paramref name="index"/> of
    /// <paramref name="text"/> (the neighbours decide a capital sigma), written as UTF-16 to
    /// <paramref name="destination"/>; returns the number of chars written.
    /// </summary>
    public static int LowerAt(ReadOnlySpan<char> text, int index, Rune rune, Span<char> destination)
    {
        switch (rune.Value)
        {
            case CapitalIWithDotAbove:
                // SpecialCasing.txt: the only unconditional lowercase mapping longer than one code point.
                destination[0] = 'i';
                destination[1] = '\u0307';
                return 2;
            case CapitalSigma:
                destination[0] = IsFinalSigma(text, index) ? FinalSigma : SmallSigma;
                return 1;
            default:
                return Rune.ToLowerInvariant(rune).EncodeToUtf16(destination);
        }
    }

    /// <summary>
    /// Unicode's Final_Sigma condition as CPython evaluates it: a cased letter before the sigma (skipping
    /// case-ignorable characters) and none after it.
    /// </summary>
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int sigmaIndex)
    {
        var before = sigmaIndex;
        Rune previous = default;
        var foundBefore = false;
        while (before > 0)
        {
            Rune.DecodeLastFromUtf16(text[..before], out previous, out var length);
            before -= length;
            if (!IsCaseIgnorable(previous))
            {
                foundBefore = true;
                break;
            }
        }
        if (!foundBefore || !IsCased(previous))
        {
            return false;
        }
        var after = sigmaIndex + 1;
        while (after < text.Length)
        {
            Rune.DecodeFromUtf16(text[after..], out var next, out var length);
            after += length;
            if (!IsCaseIgnorable(next))
            {
                return !IsCased(next);
            }
        }
        return true;
    }

    /// <summary>Unicode's Cased property: letters with case, plus the few symbols and numbers that have a case mapping.</summary>
    public static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter
        || Rune.ToLowerInvariant(rune) != rune
        || Rune.ToUpperInvariant(rune) != rune
        || IsCasedWithoutCaseMapping(rune.Value);

    /// <summary>Unicode's Case_Ignorable property: marks, format characters, modifiers and the in-word punctuation of UAX #29.</summary>
    public static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024
            or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    /// <summary>Other_Lowercase and Other_Uppercase characters without a case mapping: ª, º, spacing modifier
    /// letters, and the squared and circled Latin capitals of U+1F130..U+1F189.</summary>
    private static bool IsCasedWithoutCaseMapping(int codePoint) =>
        codePoint is 0x00AA or 0x00BA or (>= 0x02B0 and <= 0x02B8) or 0x02C0 or 0x02C1 or (>= 0x02E0 and <= 0x02E4)
            or 0x037A or (>= 0x1D2C and <= 0x1D6A) or 0x1D78 or (>= 0x1D9B and <= 0x1DBF) or 0x2071 or 0x207F
            or (>= 0x2090 and <= 0x209C) or (>= 0x2C7C and <= 0x2C7D) or (>= 0xA69C and <= 0xA69D) or 0xA770
            or (>= 0xA7F8 and <= 0xA7F9) or (>= 0xAB5C and <= 0xAB5F)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    /// <summary>Python's <c>str.isspace()</c> for one code point (bidi classes WS, B, S and category Zs): what
    /// <c>str.split()</c> splits on. Every one is in the BMP.</summary>
    public static bool IsWhitespace(int codePoint) =>
        codePoint is (>= 0x09 and <= 0x0D) or (>= 0x1C and <= 0x20) or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A)
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    /// <summary>A word character of Python 3's <c>re</c> in a str pattern: <c>ch.isalnum() or ch == '_'</c>.</summary>
    public static bool IsWordCharacter(Rune rune) =>
        rune.Value == '_'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
