using System.Buffers;
using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// The answer normalization of the official SQuAD v1.1 evaluation script (<c>normalize_answer</c> in
/// evaluate-v1.1.py), reproduced with Python 3 semantics so that scores match the published numbers:
/// <c>white_space_fix(remove_articles(remove_punc(lower(s))))</c>.
/// </summary>
/// <remarks>
/// Python's string functions differ from .NET's in ways that change scores on real data, so each step
/// re-creates the Python rule rather than using the nearest .NET call:
/// <list type="bullet">
/// <item><c>str.lower</c> applies the full case mapping (U+0130 becomes two code points) and the Final_Sigma rule.</item>
/// <item><c>\b</c> in a Python 3 <c>re</c> str pattern treats every Unicode letter and number as a word character,
/// but not combining marks.</item>
/// <item><c>str.split()</c> splits on Python's whitespace set, which includes U+001C..U+001F and excludes U+200B.</item>
/// </list>
/// </remarks>
public static class SquadAnswerNormalizer
{
    /// <summary>Python's <c>string.punctuation</c>: ASCII only; Unicode punctuation stays in the answer.</summary>
    public const string PythonPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private const int CapitalSigma = 0x03A3;
    private const int SmallSigma = 0x03C3;
    private const int FinalSigma = 0x03C2;
    private const int CapitalIWithDotAbove = 0x0130;

    /// <summary>The official <c>normalize_answer</c>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FixWhitespace(RemoveArticles(RemovePunctuation(PythonLower(text))));
    }

    /// <summary>The tokens F1 counts: <c>normalize_answer(text).split()</c>. Empty when nothing survives normalization.</summary>
    public static string[] Tokens(string text) =>
        Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Python's <c>str.lower()</c>.</summary>
    internal static string PythonLower(string text)
    {
        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var length) != OperationStatus.Done)
            {
                // A lone surrogate (JSON can escape one) has no case; Python keeps it as it is.
                builder.Append(text[index]);
            }
            else if (rune.Value == CapitalIWithDotAbove)
            {
                // SpecialCasing.txt: the only unconditional lowercase mapping longer than one code point.
                builder.Append("i\u0307");
            }
            else if (rune.Value == CapitalSigma)
            {
                builder.Append((char)(IsFinalSigma(text, index) ? FinalSigma : SmallSigma));
            }
            else
            {
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            index += length;
        }
        return builder.ToString();
    }

    /// <summary>
    /// Unicode's Final_Sigma condition as CPython evaluates it: a cased letter before the sigma (skipping
    /// case-ignorable characters) and none after it.
    /// </summary>
    private static bool IsFinalSigma(string text, int sigmaIndex)
    {
        var before = sigmaIndex;
        Rune previous = default;
        var foundBefore = false;
        while (before > 0)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out previous, out var length);
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
            Rune.DecodeFromUtf16(text.AsSpan(after), out var next, out var length);
            after += length;
            if (!IsCaseIgnorable(next))
            {
                return !IsCased(next);
            }
        }
        return true;
    }

    /// <summary>Unicode's Cased property: letters with case, plus the few symbols and numbers that have a case mapping.</summary>
    internal static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter
        || Rune.ToLowerInvariant(rune) != rune
        || Rune.ToUpperInvariant(rune) != rune
        || IsCasedWithoutCaseMapping(rune.Value);

    /// <summary>Unicode's Case_Ignorable property: marks, format characters, modifiers and the in-word punctuation of UAX #29.</summary>
    internal static bool IsCaseIgnorable(Rune rune) =>
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

    /// <summary><c>''.join(ch for ch in text if ch not in set(string.punctuation))</c>.</summary>
    internal static string RemovePunctuation(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (!PythonPunctuation.Contains(ch, StringComparison.Ordinal))
            {
                builder.Append(ch);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// <c>re.sub(r'\b(a|an|the)\b', ' ', text)</c>. Both ends of a match must be word boundaries, so a match is
    /// always a whole maximal run of word characters; each run spelling an article becomes one space.
    /// </summary>
    internal static string RemoveArticles(string text)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var runEnd = position;
            while (runEnd < text.Length)
            {
                Rune.DecodeFromUtf16(text.AsSpan(runEnd), out var rune, out var length);
                if (!IsPythonWordCharacter(rune))
                {
                    break;
                }
                runEnd += length;
            }
            if (runEnd > position)
            {
                var word = text.AsSpan(position, runEnd - position);
                if (word is "a" or "an" or "the")
                {
                    builder.Append(' ');
                }
                else
                {
                    builder.Append(word);
                }
                position = runEnd;
            }
            else
            {
                Rune.DecodeFromUtf16(text.AsSpan(position), out _, out var length);
                builder.Append(text.AsSpan(position, length));
                position += length;
            }
        }
        return builder.ToString();
    }

    /// <summary><c>' '.join(text.split())</c>.</summary>
    internal static string FixWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSeparator = false;
        foreach (var ch in text)
        {
            // Every Python whitespace character is in the BMP, so UTF-16 units suffice here.
            if (IsPythonWhitespace(ch))
            {
                pendingSeparator = builder.Length > 0;
                continue;
            }
            if (pendingSeparator)
            {
                builder.Append(' ');
                pendingSeparator = false;
            }
            builder.Append(ch);
        }
        return builder.ToString();
    }

    /// <summary>Python's <c>str.isspace()</c> for one character (bidi classes WS, B, S and category Zs).</summary>
    internal static bool IsPythonWhitespace(char ch) =>
        ch is (>= '\t' and <= '\r') or (>= '\u001C' and <= ' ') or '\u0085' or '\u00A0' or '\u1680'
            or (>= '\u2000' and <= '\u200A') or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';

    /// <summary>A word character of Python 3's <c>re</c> in a str pattern: <c>ch.isalnum() or ch == '_'</c>.</summary>
    internal static bool IsPythonWordCharacter(Rune rune) =>
        rune.Value == '_'
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
