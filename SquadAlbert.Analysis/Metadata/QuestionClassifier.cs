namespace SquadAlbert.Analysis.Metadata;

/// <summary>The kind of question, from its wh-word and the word after it.</summary>
public enum QuestionType
{
    What,
    When,
    WhatYear,
    HowMany,
    HowMuch,
    Who,
    Whom,
    Whose,
    Which,
    Why,
    How,
    Where,
    Other,
}

/// <summary>How a question was classified.</summary>
/// <param name="WhWord">The wh-word the type comes from, lower case; null for <see cref="QuestionType.Other"/>.</param>
/// <param name="FirstWords">The first two words, lower case, joined by a space (e.g. "in what").</param>
public sealed record QuestionClass(QuestionType Type, string? WhWord, string FirstWords);

/// <summary>
/// Classifies questions by the FIRST wh-word anywhere in them, so "In what year did…" is "what year" and "The
/// treaty was signed where?" is "where". Refinements look at the next word: "what/which year" is
/// <see cref="QuestionType.WhatYear"/>, "how many"/"how much" their own types; any other "which" stays "which".
/// A question without a wh-word ("Name the…", "Is it…") is <see cref="QuestionType.Other"/>.
/// </summary>
public static class QuestionClassifier
{
    private const int FirstWordCount = 2;

    public static QuestionClass Classify(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var words = TextWords.Lower(question);
        var firstWords = string.Join(' ', words.Take(FirstWordCount));
        for (var i = 0; i < words.Count; i++)
        {
            var next = i + 1 < words.Count ? words[i + 1] : "";
            QuestionType? type = words[i] switch
            {
                "what" or "which" when next is "year" or "years" => QuestionType.WhatYear,
                "what" => QuestionType.What,
                "which" => QuestionType.Which,
                "when" => QuestionType.When,
                "who" => QuestionType.Who,
                "whom" => QuestionType.Whom,
                "whose" => QuestionType.Whose,
                "why" => QuestionType.Why,
                "where" => QuestionType.Where,
                "how" when next == "many" => QuestionType.HowMany,
                "how" when next == "much" => QuestionType.HowMuch,
                "how" => QuestionType.How,
                _ => null,
            };
            if (type is { } found)
            {
                return new QuestionClass(found, words[i], firstWords);
            }
        }
        return new QuestionClass(QuestionType.Other, null, firstWords);
    }

    /// <summary>The label stored in the database and shown in the dashboard, e.g. "what year", "how many".</summary>
    public static string Label(this QuestionType type) => type switch
    {
        QuestionType.WhatYear => "what year",
        QuestionType.HowMany => "how many",
        QuestionType.HowMuch => "how much",
        _ => type.ToString().ToLowerInvariant(),
    };
}
