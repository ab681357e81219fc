using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>
/// Swaps the question's wh-phrase for an equivalent one; a robust reader keeps its answer. The pairs, tried in this order
/// (the first whose phrase holds the question's first wh-word wins; matching ignores case, the first letter's case is kept):
/// "in what year" → "when"; "what year" ↔ "which year"; "when" → "in what year" (only for year answers: "When" also asks for
/// dates and times); "how many" ↔ "what number of"; "how much money" ↔ "what amount of money"; "in what place" ↔ "where";
/// "which person" → "who". "Who" is not swapped back ("which person" would exclude organisations), nor "why"/"how".
/// Only the first wh-phrase is touched, so a "when" that opens a subordinate clause stays.
/// </summary>
public sealed class WhSwapProbe : IProbe
{
    private static readonly (string From, string To, bool YearOnly)[] Pairs =
    [
        ("in what year", "when", false),
        ("what year", "which year", false),
        ("which year", "what year", false),
        ("when", "in what year", true),
        ("how many", "what number of", false),
        ("what number of", "how many", false),
        ("how much money", "what amount of money", false),
        ("what amount of money", "how much money", false),
        ("in what place", "where", false),
        ("where", "in what place", false),
        ("which person", "who", false),
    ];

    public ProbeKind Kind => ProbeKind.WhSwap;

    public ProbeRewrite Rewrite(ProbeInput input, ProbeDonors donors, int seed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var question = input.Question;
        var whWord = FirstWhWord(question);
        if (whWord is null)
        {
            return ProbeRewrite.Skip("the question has no wh-word");
        }
        var yearOnlySkipped = false;
        foreach (var (from, to, yearOnly) in Pairs)
        {
            var at = ProbeText.FindWords(question, from, 0);
            while (at >= 0 && !(at <= whWord.Value.Start && at + from.Length >= whWord.Value.End))
            {
                at = ProbeText.FindWords(question, from, at + 1);
            }
            if (at < 0)
            {
                continue;
            }
            if (yearOnly && !(input.Golds.Count > 0 && AnswerTypeClassifier.Classify(input.Golds[0].Text) == AnswerType.Year))
            {
                yearOnlySkipped = true;
                continue;
            }
            var replacement = char.IsUpper(question[at]) ? char.ToUpperInvariant(to[0]) + to[1..] : to;
            var swapped = question[..at] + replacement + question[(at + from.Length)..];
            return ProbeRewrite.Of(new ProbedExample(swapped, input.Context, input.Golds, ProbeExpectation.KeepsAnswer,
                $"“{question.Substring(at, from.Length)}” → “{replacement}”"));
        }
        return ProbeRewrite.Skip(yearOnlySkipped
            ? "“when” becomes “in what year” only for year answers"
            : "no swappable wh-phrase (in what year, what/which year, when, how many, what number of, how much money, where, in what place, which person)");
    }

    private static (int Start, int End)? FirstWhWord(string question)
    {
        foreach (var (start, end) in TextWords.Spans(question))
        {
            if (question[start..end].ToLowerInvariant() is "what" or "which" or "when" or "who" or "whom" or "whose" or "why" or "where" or "how")
            {
                return (start, end);
            }
        }
        return null;
    }
}

/// <summary>Whole-word search and replacement shared by the probes.</summary>
internal static class ProbeText
{
    /// <summary>The first occurrence of <paramref name="phrase"/> at or after <paramref name="from"/>, ignoring case, with no
    /// letter or digit right before or after it; -1 when none.</summary>
    public static int FindWords(string text, string phrase, int from, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        while (from <= text.Length - phrase.Length)
        {
            var at = text.IndexOf(phrase, from, comparison);
            if (at < 0)
            {
                return -1;
            }
            var end = at + phrase.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return at;
            }
            from = at + 1;
        }
        return -1;
    }

    /// <summary>Every whole-word occurrence of <paramref name="phrase"/> (case-sensitive), non-overlapping, in order.</summary>
    public static List<int> AllWords(string text, string phrase)
    {
        var found = new List<int>();
        for (var at = FindWords(text, phrase, 0, StringComparison.Ordinal); at >= 0; at = FindWords(text, phrase, at + phrase.Length, StringComparison.Ordinal))
        {
            found.Add(at);
        }
        return found;
    }
}
