using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>
/// Drops the sentence (<see cref="Sentences"/>) that holds the first gold answer (every sentence it overlaps, when the rule
/// cut inside it) with the space after it (or, for the last sentence, the space before it). The reader should lose the
/// answer. Not applicable without a gold, to a one-sentence context, or when any gold text (ignoring case) is still in the
/// remaining context: the reader could then answer correctly from another sentence.
/// </summary>
public sealed class AnswerRemovalProbe : IProbe
{
    public ProbeKind Kind => ProbeKind.AnswerRemoval;

    public ProbeRewrite Rewrite(ProbeInput input, ProbeDonors donors, int seed)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Golds.Count == 0)
        {
            return ProbeRewrite.Skip("no gold answer (unanswerable question)");
        }
        var context = input.Context;
        var sentences = Sentences.Spans(context);
        if (sentences.Count < 2)
        {
            return ProbeRewrite.Skip("the context is a single sentence");
        }
        var gold = input.Golds[0];
        var (goldStart, goldEnd) = (gold.Start, gold.Start + gold.Text.Length);
        var first = -1;
        var last = -1;
        for (var s = 0; s < sentences.Count; s++)
        {
            if (sentences[s].Start < goldEnd && sentences[s].End > goldStart)
            {
                first = first < 0 ? s : first;
                last = s;
            }
        }
        if (first < 0)
        {
            return ProbeRewrite.Skip("the gold answer lies in no sentence");
        }
        if (first == 0 && last == sentences.Count - 1)
        {
            return ProbeRewrite.Skip("the gold answer spans every sentence");
        }
        var (cutStart, cutEnd) = last < sentences.Count - 1
            ? (sentences[first].Start, sentences[last + 1].Start)
            : (sentences[first - 1].End, context.Length);
        var remaining = context[..cutStart] + context[cutEnd..];
        if (input.Golds.FirstOrDefault(g => g.Text.Trim().Length > 0 && remaining.Contains(g.Text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } still)
        {
            return ProbeRewrite.Skip($"the gold answer “{still.Text.Trim()}” also appears in another sentence");
        }
        var removed = context[sentences[first].Start..sentences[last].End];
        return ProbeRewrite.Of(new ProbedExample(input.Question, remaining, input.Golds, ProbeExpectation.LosesAnswer, $"removed: “{removed}”"));
    }
}
