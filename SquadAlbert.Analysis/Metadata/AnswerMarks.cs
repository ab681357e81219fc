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

    public static bool HasBrackets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(Brackets) >= 0;
    }
}
