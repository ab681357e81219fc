using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// Hugging Face <c>AlbertTokenizer.preprocess_text</c> with ALBERT's settings (remove_space, keep_accents = false,
/// do_lower_case), keeping each output char's origin in the original string:
/// <list type="number">
/// <item>strip, split on Python whitespace, join with one space (a kept space stands for the whole run);</item>
/// <item><c>``</c> and <c>''</c> become <c>"</c> (standing for both original chars);</item>
/// <item>NFKD, then drop chars of non-zero canonical combining class (their origin joins the char before);</item>
/// <item>lowercase like Python's <c>str.lower</c>, including the final-sigma rule.</item>
/// </list>
/// Python's whitespace and lowercase rules come from <see cref="PythonUnicode"/>. Difference from Python, on
/// purpose: a lone surrogate (not encodable as UTF-8, so SentencePiece cannot take it) becomes U+FFFD.
/// </summary>
public static class AlbertTextPreprocessor
{
    private static readonly ConcurrentDictionary<int, string> Decompositions = new();
    private static readonly ConcurrentDictionary<int, bool> CombiningMarks = new();

    public static AlignedText Preprocess(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var output = new AlignedTextBuilder(original.Length);
        var pendingSpaceStart = -1;
        var pendingSpaceEnd = -1;
        var seenText = false;
        var i = 0;
        while (i < original.Length)
        {
            var rune = ReadRune(original, i, out var length);
            if (PythonUnicode.IsWhitespace(rune.Value))
            {
                if (pendingSpaceStart < 0)
                {
                    pendingSpaceStart = i;
                }
                pendingSpaceEnd = i + length;
                i += length;
                continue;
            }
            if (pendingSpaceStart >= 0 && seenText)
            {
                output.Append(' ', new CharSpan(pendingSpaceStart, pendingSpaceEnd));
            }
            pendingSpaceStart = -1;
            seenText = true;
            if (rune.Value is '`' or '\'' && i + 1 < original.Length && original[i + 1] == rune.Value)
            {
                output.Append('"', new CharSpan(i, i + 2));
                i += 2;
                continue;
            }
            AppendDecomposed(output, rune, new CharSpan(i, i + length));
            i += length;
        }
        Lowercase(output);
        return output.Build();
    }

    /// <summary>Python's <c>unicodedata.combining(c) != 0</c>.</summary>
    internal static bool IsCombining(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
        {
            return false;
        }
        return CombiningMarks.GetOrAdd(rune.Value, static value => HasNonZeroCombiningClass(new Rune(value)));
    }

    // .NET exposes no canonical combining class, but canonical ordering reveals it: a mark of class c > 1 moves in
    // front of U+0334 (class 1), one of class 0 < c < 240 moves in front of U+0345 (class 240), and a class-0
    // char never moves. U+0345 itself is the only class-240 char.
    private static bool HasNonZeroCombiningClass(Rune rune)
    {
        if (rune.Value == 0x0345)
        {
            return true;
        }
        var s = rune.ToString();
        var afterOverlay = s + "\u0334";
        var afterYpogegrammeni = "\u0345" + s;
        return !string.Equals(afterOverlay.Normalize(NormalizationForm.FormD), afterOverlay, StringComparison.Ordinal)
            || !string.Equals(afterYpogegrammeni.Normalize(NormalizationForm.FormD), afterYpogegrammeni, StringComparison.Ordinal);
    }

    // NFKD is a per-code-point decomposition followed by canonical reordering of marks; reordering only permutes
    // marks of non-zero class, which are all dropped next, so decomposing each code point alone gives the same text.
    private static void AppendDecomposed(AlignedTextBuilder output, Rune rune, CharSpan origin)
    {
        if (rune.IsAscii)
        {
            output.Append((char)rune.Value, origin);
            return;
        }
        var decomposed = Decompositions.GetOrAdd(rune.Value, static value => new Rune(value).ToString().Normalize(NormalizationForm.FormKD));
        Span<char> buffer = stackalloc char[2];
        foreach (var part in decomposed.EnumerateRunes())
        {
            if (IsCombining(part))
            {
                output.ExtendLast(origin.End);
                continue;
            }
            output.Append(buffer[..part.EncodeToUtf16(buffer)], origin);
        }
    }

    // Mappings that keep the UTF-16 length are applied in place, so origins stay attached; Python's only
    // unconditional one-to-many lowercase mapping (U+0130) never gets here because NFKD already split it.
    private static void Lowercase(AlignedTextBuilder text)
    {
        Span<char> buffer = stackalloc char[PythonUnicode.MaxLoweredLength];
        var i = 0;
        while (i < text.Length)
        {
            var rune = ReadRune(text, i, out var length);
            var written = PythonUnicode.LowerAt(text.Chars, i, rune, buffer);
            if (written == length)
            {
                for (var k = 0; k < written; k++)
                {
                    text[i + k] = buffer[k];
                }
            }
            i += length;
        }
    }

    private static Rune ReadRune(string text, int index, out int length)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out length) != System.Buffers.OperationStatus.Done)
        {
            length = 1;
            return Rune.ReplacementChar;
        }
        return rune;
    }

    private static Rune ReadRune(AlignedTextBuilder text, int index, out int length)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            length = 2;
            return new Rune(c, text[index + 1]);
        }
        length = 1;
        return Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
    }
}
