namespace SquadAlbert.Analysis.Metadata;

/// <summary>
/// Words for the metadata rules: maximal runs of letters and digits, an apostrophe inside a run kept ("don't" is
/// one word). Hyphens and other punctuation separate words.
/// </summary>
public static class TextWords
{
    public static IReadOnlyList<string> Split(string text) => [.. Spans(text).Select(span => text[span.Start..span.End])];

    /// <summary>The words of <see cref="Split"/> as [Start, End) character ranges of <paramref name="text"/>.</summary>
    public static IReadOnlyList<(int Start, int End)> Spans(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<(int Start, int End)>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isApostropheInside = c is '\'' or '’' && start >= 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]);
            if (char.IsLetterOrDigit(c) || isApostropheInside)
            {
                if (start < 0)
                {
                    start = i;
                }
            }
            else if (start >= 0)
            {
                spans.Add((start, i));
                start = -1;
            }
        }
        if (start >= 0)
        {
            spans.Add((start, text.Length));
        }
        return spans;
    }

    public static IReadOnlyList<string> Lower(string text) => [.. Split(text).Select(w => w.ToLowerInvariant())];

    /// <summary>Whitespace-separated words, the everyday meaning of "length in words".</summary>
    public static int CountWhitespaceWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
