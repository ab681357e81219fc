namespace SquadAlbert.Analysis.Metadata;

/// <summary>
/// Rule-based sentence boundaries, the one rule the product uses (readability counts them, the probes cut contexts with
/// them): a sentence ends at a run of '.', '!' or '?' followed by whitespace and then not by a lower-case letter, or by
/// the end of the text. "the U.S. team" stays one sentence; "Dr. Smith" is split (a known miss of the rule).
/// </summary>
public static class Sentences
{
    /// <summary>The sentences of <paramref name="text"/> as [Start, End) ranges: each starts at its first non-space character
    /// and ends after its terminator (or at the last non-space character of the text); the whitespace between them belongs to
    /// none. A text with no terminator is one sentence; a blank text has none.</summary>
    public static IReadOnlyList<(int Start, int End)> Spans(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<(int Start, int End)>();
        var start = SkipSpace(text, 0);
        foreach (var end in Ends(text))
        {
            if (end > start)
            {
                spans.Add((start, end));
            }
            start = SkipSpace(text, end);
        }
        if (start < text.Length)
        {
            var end = text.Length;
            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }
            spans.Add((start, end));
        }
        return spans;
    }

    /// <summary>The positions just after each sentence terminator the rule accepts, in order.</summary>
    public static IReadOnlyList<int> Ends(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ends = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('.' or '!' or '?') || (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1])))
            {
                continue;
            }
            var next = SkipSpace(text, i + 1);
            if (next == text.Length || !char.IsLower(text[next]))
            {
                ends.Add(i + 1);
            }
        }
        return ends;
    }

    private static int SkipSpace(string text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from]))
        {
            from++;
        }
        return from;
    }
}
