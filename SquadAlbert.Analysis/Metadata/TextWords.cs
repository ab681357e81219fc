using System.Text;

namespace SquadAlbert.Analysis.Metadata;

/// <summary>
/// Words for the metadata rules: maximal runs of letters and digits, an apostrophe inside a run kept ("don't" is
/// one word). Hyphens and other punctuation separate words.
/// </summary>
public static class TextWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isApostropheInside = c is '\'' or '’' && current.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]);
            if (char.IsLetterOrDigit(c) || isApostropheInside)
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    public static IReadOnlyList<string> Lower(string text) => [.. Split(text).Select(w => w.ToLowerInvariant())];

    /// <summary>Whitespace-separated words, the everyday meaning of "length in words".</summary>
    public static int CountWhitespaceWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
