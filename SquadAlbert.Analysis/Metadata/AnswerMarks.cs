using System.Buffers;

namespace SquadAlbert.Analysis.Metadata;

/// <summary>Punctuation in an answer that often trips span boundaries: quotation marks and brackets.</summary>
public static class AnswerMarks
{
    private const string DoubleQuotes = "\"“”„«»";
    private const string SingleQuotes = "'‘’`";
    private static readonly SearchValues<char> Brackets = SearchValues.Create("()[]{}");

    /// <summary>
    /// True for a double quotation mark anywhere, or a single one that is not an apostrophe, i.e. not between two
    /// letters ("don't" and "O'Brien" have none; "'Yesterday'" has two).
    /// </summary>
    public static bool HasQuotationMarks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (DoubleQuotes.Contains(text[i], StringComparison.Ordinal))
            {
                return true;
            }
            var isApostrophe = i > 0 && i + 1 < text.Length && char.IsLetter(text[i - 1]) && char.IsLetter(text[i + 1]);
            if (SingleQuotes.Contains(text[i], StringComparison.Ordinal) && !isApostrophe)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <paramref name="text"/> without its quotation marks (the ones <see cref="HasQuotationMarks"/> counts; apostrophes
    /// stay), trimmed: "\"Say My Name\"" and "Say My Name\"" both become "Say My Name".
    /// </summary>
    public static string WithoutQuotationMarks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var isApostrophe = i > 0 && i + 1 < text.Length && char.IsLetter(text[i - 1]) && char.IsLetter(text[i + 1]);
            var isQuote = DoubleQuotes.Contains(text[i], StringComparison.Ordinal)
                || (SingleQuotes.Contains(text[i], StringComparison.Ordinal) && !isApostrophe);
            if (!isQuote)
            {
                kept.Append(text[i]);
            }
        }
        return kept.ToString().Trim();
    }

    /// <summary>
    /// True when the prediction equals none of the gold answers character for character but equals one of them once
    /// both lose their quotation marks: the reader took or dropped the quotes around a title or a quoted phrase (the
    /// official metric's normalisation hides this; the token metrics count it as a miss). An empty prediction never does.
    /// </summary>
    public static bool DiffersOnlyByQuotationMarks(string prediction, IEnumerable<string> golds)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(golds);
        var texts = golds.ToList();
        if (texts.Contains(prediction, StringComparer.Ordinal))
        {
            return false;
        }
        var bare = WithoutQuotationMarks(prediction);
        return bare.Length > 0 && texts.Any(g => string.Equals(WithoutQuotationMarks(g), bare, StringComparison.Ordinal));
    }

    public static bool HasBrackets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(Brackets) >= 0;
    }
}
