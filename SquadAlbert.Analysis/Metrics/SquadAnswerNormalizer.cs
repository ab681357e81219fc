using System.Text;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// The answer normalization of the official SQuAD v1.1 evaluation script (<c>normalize_answer</c> in
/// evaluate-v1.1.py), reproduced with Python 3 semantics so that scores match the published numbers:
/// <c>white_space_fix(remove_articles(remove_punc(lower(s))))</c>.
/// </summary>
/// <remarks>Python's string rules, which change scores on real data where they differ from .NET's, come from
/// <see cref="PythonUnicode"/>.</remarks>
public static class SquadAnswerNormalizer
{
    /// <summary>Python's <c>string.punctuation</c>: ASCII only; Unicode punctuation stays in the answer.</summary>
    public const string PythonPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>The official <c>normalize_answer</c>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FixWhitespace(RemoveArticles(RemovePunctuation(PythonUnicode.Lower(text))));
    }

    /// <summary>The tokens F1 counts: <c>normalize_answer(text).split()</c>. Empty when nothing survives normalization.</summary>
    public static string[] Tokens(string text) =>
        Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

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
                if (!PythonUnicode.IsWordCharacter(rune))
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
            if (PythonUnicode.IsWhitespace(ch))
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
}
