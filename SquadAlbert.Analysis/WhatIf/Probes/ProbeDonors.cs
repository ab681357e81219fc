using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>
/// What probes draw replacements from: every gold answer of a run by answer type (<see cref="AnswerTypeClassifier"/>), the
/// capitalised words of its proper-noun answers and titles, and the numerals of its answers, each with its article. Built
/// from the whole run in sample order (not from the probed slice), so a sample's draw does not depend on the slice.
/// </summary>
public sealed class ProbeDonors
{
    private readonly Dictionary<AnswerType, List<(string Title, string Text)>> _answers = [];
    private readonly List<(string Title, string Word)> _names = [];
    private readonly List<(string Title, string Word)> _numbers = [];

    public static ProbeDonors From(IEnumerable<ProbeInput> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var donors = new ProbeDonors();
        var seenAnswers = new HashSet<(string, string)>();
        var seenWords = new HashSet<(string, string)>();
        foreach (var example in examples)
        {
            foreach (var word in TextWords.Split(example.Title).Where(IsName))
            {
                if (seenWords.Add((example.Title, word)))
                {
                    donors._names.Add((example.Title, word));
                }
            }
            foreach (var gold in example.Golds)
            {
                var text = gold.Text.Trim();
                if (text.Length == 0 || !seenAnswers.Add((example.Title, text)))
                {
                    continue;
                }
                var type = AnswerTypeClassifier.Classify(text);
                if (!donors._answers.TryGetValue(type, out var list))
                {
                    donors._answers[type] = list = [];
                }
                list.Add((example.Title, text));
                foreach (var word in TextWords.Split(text))
                {
                    var isNumber = char.IsDigit(word[0]);
                    if ((isNumber || (type == AnswerType.ProperNoun && IsName(word))) && seenWords.Add((example.Title, word)))
                    {
                        (isNumber ? donors._numbers : donors._names).Add((example.Title, word));
                    }
                }
            }
        }
        return donors;
    }

    /// <summary>A gold answer of <paramref name="type"/> from an article other than <paramref name="title"/> that
    /// <paramref name="acceptable"/> accepts, drawn with <paramref name="random"/>; null when there is none.</summary>
    public string? Answer(AnswerType type, string title, Func<string, bool> acceptable, Random random) =>
        _answers.TryGetValue(type, out var list) ? Draw(list, title, acceptable, random) : null;

    /// <summary>A capitalised word (letters only, at least three) from another article.</summary>
    public string? Name(string title, Func<string, bool> acceptable, Random random) => Draw(_names, title, acceptable, random);

    /// <summary>A numeral (a word starting with a digit) from another article.</summary>
    public string? Number(string title, Func<string, bool> acceptable, Random random) => Draw(_numbers, title, acceptable, random);

    /// <summary>Whether <paramref name="candidate"/> can stand in for <paramref name="gold"/>: its word count differs by at most one,
    /// so a one-word name is not replaced by a clause (answer types are coarse: "other" holds everything unclassified).</summary>
    public static bool SimilarLength(string candidate, string gold) =>
        Math.Abs(TextWords.Split(candidate).Count - TextWords.Split(gold).Count) <= 1;

    /// <summary>Whether <paramref name="word"/> is a name as the donors keep them: three letters or more, the first upper case.</summary>
    public static bool IsName(string word) => word.Length >= 3 && char.IsUpper(word[0]) && word.All(char.IsLetter);

    private static string? Draw(List<(string Title, string Text)> list, string title, Func<string, bool> acceptable, Random random)
    {
        var candidates = list.Where(d => d.Title != title && acceptable(d.Text)).Select(d => d.Text).Distinct(StringComparer.Ordinal).ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }
}

/// <summary>The random source of one (probe, example, seed): FNV-1a of the three, so it is the same on every run and machine
/// (string.GetHashCode is randomised per process).</summary>
public static class ProbeRandom
{
    public static Random For(ProbeKind kind, string exampleId, int seed)
    {
        ArgumentNullException.ThrowIfNull(exampleId);
        var hash = 14695981039346656037UL;
        foreach (var c in $"{seed}|{kind.Label()}|{exampleId}")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return new Random((int)(hash ^ (hash >> 32)));
    }
}
