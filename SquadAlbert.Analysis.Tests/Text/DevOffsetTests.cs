using System.Text;
using System.Text.RegularExpressions;
using SquadAlbert.Analysis.Text;
using Xunit.Abstractions;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>
/// Token spans on the real dev set: for every gold answer, the original text under the tokens that overlap the
/// answer must read as the answer (after SQuAD answer normalization). What cannot match is an answer that starts
/// or ends inside a token (a "1990s" token for the answer "1990"): the token brings extra characters along.
/// </summary>
public sealed partial class DevOffsetTests(ITestOutputHelper output)
{
    [Fact]
    public void Tokens_over_every_dev_answer_spell_that_answer()
    {
        var tokenizer = AlbertTokenizer.Load(DevSet.OurModel);
        int answers = 0, exact = 0, normalizedEqual = 0;
        var misses = new List<string>();
        foreach (var paragraph in DevSet.Paragraphs)
        {
            var context = paragraph.Context;
            var tokens = tokenizer.Tokenize(context);
            foreach (var question in paragraph.Questions)
            {
                // The question must tokenize too; its spans are checked by the parity and unit tests.
                Assert.True(tokenizer.Tokenize(question.Question).Count > 0, question.Id);
                foreach (var (text, start) in question.Answers)
                {
                    answers++;
                    var end = start + text.Length;
                    var covering = tokens.Spans.Where(s => s.End > s.Start && s.Start < end && s.End > start).ToList();
                    var under = covering.Count == 0 ? "" : context[covering[0].Start..covering[^1].End];
                    if (under == text)
                    {
                        exact++;
                    }
                    if (NormalizeAnswer(under) == NormalizeAnswer(text))
                    {
                        normalizedEqual++;
                    }
                    else if (misses.Count < 20)
                    {
                        misses.Add($"{question.Id}: answer '{text}' / tokens '{under}'");
                    }
                }
            }
        }
        output.WriteLine($"answers: {answers}; tokens spell the answer exactly: {exact} ({100.0 * exact / answers:F2}%); " +
                         $"after SQuAD normalization: {normalizedEqual} ({100.0 * normalizedEqual / answers:F2}%)");
        misses.ForEach(output.WriteLine);
        Assert.Equal(34726, answers);
        // Measured with models/tokenizer/spiece.model: 34,628 of 34,726 (99.72%); the 98 others start or end
        // mid-token (answer '4' under token '49', 'wards' under 'backwards', '2' under '2½').
        Assert.True(normalizedEqual >= MinimumNormalizedMatches, $"{normalizedEqual} of {answers} answers matched; first misses:\n" + string.Join('\n', misses));
    }

    private const int MinimumNormalizedMatches = 34628;

    // Private copy of the official SQuAD normalize_answer (lowercase, drop ASCII punctuation and the articles
    // a/an/the, collapse whitespace); swap for the Metrics implementation once it lands.
    private static string NormalizeAnswer(string text)
    {
        var lower = text.ToLowerInvariant();
        var noPunctuation = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (!(c < 128 && char.IsPunctuation(c) || c < 128 && char.IsSymbol(c)))
            {
                noPunctuation.Append(c);
            }
        }
        var noArticles = Articles().Replace(noPunctuation.ToString(), " ");
        return string.Join(' ', noArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
