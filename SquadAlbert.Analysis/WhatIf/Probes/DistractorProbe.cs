using System.Text;
using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>
/// Jia &amp; Liang's AddSent idea without a parser: a declarative-ish sentence made of the question, appended to the context;
/// a robust reader keeps its answer.
/// <list type="number">
/// <item>The fake answer: a gold answer of the same answer type as the first gold, drawn with the seed from another
/// article, within one word of the gold's length, not equal to a gold (after SQuAD normalisation) and not in the context.</item>
/// <item>The wh-phrase is replaced by it: "what/which X" (and "what X of Y") as a whole, "how many/much" (its noun stays),
/// "whose" as "FAKE's", "when" as "in FAKE" for years and "on FAKE" for dates, "where" as "in FAKE", "who"/"whom"/"what"
/// alone; a "do/does/did" right after the phrase is dropped. "Why" and "how" questions are not applicable (their answers
/// are clauses).</item>
/// <item>So that the sentence does not answer the question, every capitalised word (except the first word) and every numeral
/// outside the fake answer is replaced by a name or numeral from another article (the same word always by the same one).
/// With nothing to alter the probe does not apply: the sentence would contradict the context rather than distract.</item>
/// </list>
/// The sentence starts with a capital and ends with a full stop.
/// </summary>
public sealed class DistractorProbe : IProbe
{
    private static readonly HashSet<string> DoSupport = new(StringComparer.OrdinalIgnoreCase) { "do", "does", "did" };

    private static readonly HashSet<string> NotNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "is", "was", "are", "were", "be", "been", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would", "should",
        "may", "might", "must", "shall", "the", "a", "an", "of", "in", "on", "to", "for", "by", "with", "from", "at", "as", "that", "this",
    };

    public ProbeKind Kind => ProbeKind.Distractor;

    public ProbeRewrite Rewrite(ProbeInput input, ProbeDonors donors, int seed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(donors);
        if (input.Golds.Count == 0)
        {
            return ProbeRewrite.Skip("no gold answer (unanswerable question)");
        }
        var type = AnswerTypeClassifier.Classify(input.Golds[0].Text);
        var random = ProbeRandom.For(Kind, input.Id, seed);
        var fake = donors.Answer(type, input.Title,
            candidate => ProbeDonors.SimilarLength(candidate, input.Golds[0].Text) && !input.Golds.Any(g => OfficialSquadMetric.ExactMatch(candidate, g.Text))
                         && !input.Context.Contains(candidate, StringComparison.OrdinalIgnoreCase),
            random);
        if (fake is null)
        {
            return ProbeRewrite.Skip($"no {type.Label()} answer from another article to use as the fake answer");
        }
        var statement = Statement(input.Question, fake, type);
        if (statement.Sentence is null)
        {
            return ProbeRewrite.Skip(statement.Problem!);
        }
        var (sentence, altered) = AlterNames(statement.Sentence, statement.FakeStart, fake.Length, input.Title, donors, random);
        if (altered == 0)
        {
            return ProbeRewrite.Skip("no name or number in the question to alter, so the sentence would answer it wrongly instead of distracting");
        }
        var context = input.Context.TrimEnd() + " " + sentence;
        return ProbeRewrite.Of(new ProbedExample(input.Question, context, input.Golds, ProbeExpectation.KeepsAnswer, $"appended: “{sentence}”"));
    }

    /// <summary>The question with its wh-phrase replaced by <paramref name="fake"/>, before names are altered.</summary>
    internal static (string? Sentence, int FakeStart, string? Problem) Statement(string question, string fake, AnswerType type)
    {
        var words = TextWords.Spans(question);
        var wh = -1;
        for (var w = 0; w < words.Count && wh < 0; w++)
        {
            if (Word(question, words[w]) is "what" or "which" or "when" or "who" or "whom" or "whose" or "why" or "where" or "how")
            {
                wh = w;
            }
        }
        if (wh < 0)
        {
            return (null, 0, "the question has no wh-word");
        }
        string Next(int offset) => wh + offset < words.Count ? Word(question, words[wh + offset]) : "";
        var phraseStart = words[wh].Start;
        var phraseEnd = words[wh].End;
        var replacement = fake;
        var fakeOffset = 0;
        switch (Word(question, words[wh]))
        {
            case "why":
                return (null, 0, "“why” questions have no phrase a fake answer can stand in for");
            case "how" when Next(1) is "many" or "much":
                phraseEnd = words[wh + 1].End;
                break;
            case "how":
                return (null, 0, "“how” questions have no phrase a fake answer can stand in for");
            case "what" or "which" when Next(1).Length > 0 && !NotNouns.Contains(Next(1)):
                phraseEnd = Next(2) == "of" && Next(3).Length > 0 && !NotNouns.Contains(Next(3)) ? words[wh + 3].End : words[wh + 1].End;
                break;
            case "whose":
                replacement = fake + "'s";
                break;
            case "when":
                replacement = (type == AnswerType.Date ? "on " : "in ") + fake;
                fakeOffset = 3;
                break;
            case "where":
                replacement = "in " + fake;
                fakeOffset = 3;
                break;
        }
        var after = question[phraseEnd..];
        var nextWord = words.FirstOrDefault(s => s.Start >= phraseEnd);
        if (nextWord != default && DoSupport.Contains(Word(question, nextWord)) && question[phraseEnd..nextWord.Start].All(char.IsWhiteSpace))
        {
            after = question[nextWord.End..];
        }
        var before = question[..phraseStart];
        var raw = before + replacement + after;
        var sentence = raw.Trim().TrimEnd('?', '.', '!', ' ').Trim() + ".";
        var fakeStart = before.Length + fakeOffset - (raw.Length - raw.TrimStart().Length);
        if (sentence.Length > 0 && char.IsLower(sentence[0]))
        {
            sentence = char.ToUpperInvariant(sentence[0]) + sentence[1..];
        }
        return (sentence, fakeStart, null);
    }

    /// <summary>Replaces the capitalised words (but the first) and numerals outside [fakeStart, fakeStart + fakeLength).</summary>
    private static (string Sentence, int Altered) AlterNames(string sentence, int fakeStart, int fakeLength, string title, ProbeDonors donors, Random random)
    {
        var result = new StringBuilder(sentence.Length);
        var previous = 0;
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        var altered = 0;
        var spans = TextWords.Spans(sentence);
        for (var w = 0; w < spans.Count; w++)
        {
            var (start, end) = spans[w];
            if (start < fakeStart + fakeLength && end > fakeStart)
            {
                continue;
            }
            var word = sentence[start..end];
            var isNumber = char.IsDigit(word[0]);
            if (!isNumber && (w == 0 || !ProbeDonors.IsName(word)))
            {
                continue;
            }
            if (!chosen.TryGetValue(word, out var substitute))
            {
                bool Differs(string candidate) => candidate != word && !sentence.Contains(candidate, StringComparison.Ordinal);
                substitute = (isNumber ? donors.Number(title, Differs, random) : donors.Name(title, Differs, random)) ?? "";
                chosen[word] = substitute;
            }
            if (substitute.Length == 0)
            {
                continue;
            }
            result.Append(sentence, previous, start - previous).Append(substitute);
            previous = end;
            altered++;
        }
        result.Append(sentence, previous, sentence.Length - previous);
        return (result.ToString(), altered);
    }

    private static string Word(string text, (int Start, int End) span) => text[span.Start..span.End].ToLowerInvariant();
}
