using System.Text.RegularExpressions;

namespace SquadAlbert.Analysis.Metadata;

/// <summary>The kind of answer, by surface form (no named-entity model).</summary>
public enum AnswerType
{
    Year,
    Date,
    Number,
    Percent,
    Money,
    /// <summary>Every significant word capitalised: persons, places, organisations, works; rules cannot tell them apart.</summary>
    ProperNoun,
    Other,
}

/// <summary>
/// Rule-based answer types, tried in this order (the first rule that fits wins):
/// <list type="number">
/// <item>percent: a number with "%", "percent" or "per cent";</item>
/// <item>money: a currency symbol, or a number with a currency word (dollars, pounds, euros, …);</item>
/// <item>date: a month or weekday name, a numeric date (12/25/1990, 1990-12-25) or a century ("18th century");</item>
/// <item>year: the whole answer is a year: four digits 1000–2099, optionally a decade ("1990s"), or 1–4 digits with an
/// era (AD, BC, BCE, CE), optionally after "in", "c." or "circa";</item>
/// <item>number: at most four words, one of them a numeral or a number word ("three", "million", "dozen");</item>
/// <item>proper noun: starts with a capital and every word except short function words (of, the, and, de, …) does;</item>
/// <item>other.</item>
/// </list>
/// </summary>
public static partial class AnswerTypeClassifier
{
    private const int MaxNumberWords = 4;

    private static readonly HashSet<string> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
        "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion",
        "dozen", "dozens", "hundreds", "thousands", "millions", "billions", "half", "once", "twice",
    };

    private static readonly HashSet<string> FunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "of", "the", "and", "de", "la", "le", "von", "van", "der", "du", "da", "di", "for", "in", "on", "at", "a", "an", "&", "to",
    };

    public static AnswerType Classify(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer.Trim();
        var words = TextWords.Split(text);
        var hasNumber = words.Any(IsNumberWord);
        if (hasNumber && PercentPattern().IsMatch(text))
        {
            return AnswerType.Percent;
        }
        if (CurrencySymbolPattern().IsMatch(text) || (hasNumber && CurrencyWordPattern().IsMatch(text)))
        {
            return AnswerType.Money;
        }
        if (DatePattern().IsMatch(text))
        {
            return AnswerType.Date;
        }
        if (IsYear(text))
        {
            return AnswerType.Year;
        }
        if (hasNumber && words.Count <= MaxNumberWords)
        {
            return AnswerType.Number;
        }
        if (words.Count > 0 && char.IsUpper(words[0][0]) && words.All(w => char.IsUpper(w[0]) || char.IsDigit(w[0]) || FunctionWords.Contains(w)))
        {
            return AnswerType.ProperNoun;
        }
        return AnswerType.Other;
    }

    /// <summary>The label stored in the database: "year", "date", "number", "percent", "money", "proper noun", "other".</summary>
    public static string Label(this AnswerType type) => type == AnswerType.ProperNoun ? "proper noun" : type.ToString().ToLowerInvariant();

    private static bool IsNumberWord(string word) =>
        NumberWords.Contains(word) || (word.Length > 0 && char.IsDigit(word[0]));

    private static bool IsYear(string text)
    {
        var match = YearPattern().Match(text.TrimEnd('.', ',', ';'));
        if (!match.Success)
        {
            return false;
        }
        if (match.Groups["era"].Success)
        {
            return true;
        }
        var digits = match.Groups["digits"].Value;
        return digits.Length == 4 && int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) is >= 1000 and <= 2099;
    }

    [GeneratedRegex(@"%|\bper ?cent\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PercentPattern();

    [GeneratedRegex(@"[$£€¥₹]")]
    private static partial Regex CurrencySymbolPattern();

    [GeneratedRegex(@"\b(dollars?|pounds? sterling|pounds|euros?|yen|cents?|francs?|marks|rupees?|yuan|USD|GBP|EUR)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyWordPattern();

    [GeneratedRegex(
        @"\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b\.?(?=[\s,\d]|$)|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b\d{1,2}(st|nd|rd|th) century\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(in |c\. ?|circa )?(?<digits>\d{1,4})(s|'s)?( ?(?<era>AD|BC|BCE|CE|A\.D\.|B\.C\.))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearPattern();
}
