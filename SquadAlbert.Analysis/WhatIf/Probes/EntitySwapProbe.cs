using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>
/// Replaces every whole-word occurrence of the first gold answer's text in the context by another gold answer of the same
/// answer type (<see cref="AnswerTypeClassifier"/>), drawn with the seed from the other articles' answers; the reader should
/// follow it (predict the substitute). The substitute is within one word of the gold's length, neither equal to a gold (after
/// SQuAD normalisation) nor already in the context. Answers of type "other" (phrases, not entities) are not swapped. The probed example's gold is the substitute where the first gold was (else its first occurrence).
/// </summary>
public sealed class EntitySwapProbe : IProbe
{
    public ProbeKind Kind => ProbeKind.EntitySwap;

    public ProbeRewrite Rewrite(ProbeInput input, ProbeDonors donors, int seed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(donors);
        if (input.Golds.Count == 0)
        {
            return ProbeRewrite.Skip("no gold answer (unanswerable question)");
        }
        var gold = input.Golds[0];
        var text = gold.Text.Trim();
        var context = input.Context;
        var occurrences = text.Length == 0 ? [] : ProbeText.AllWords(context, text);
        if (occurrences.Count == 0)
        {
            return ProbeRewrite.Skip("the gold answer is not a whole-word string of the context");
        }
        var type = AnswerTypeClassifier.Classify(text);
        if (type == AnswerType.Other)
        {
            return ProbeRewrite.Skip("the gold answer is no entity (answer type other), so no answer of its type can stand in for it");
        }
        var substitute = donors.Answer(type, input.Title,
            candidate => ProbeDonors.SimilarLength(candidate, text) && !input.Golds.Any(g => OfficialSquadMetric.ExactMatch(candidate, g.Text))
                         && !context.Contains(candidate, StringComparison.OrdinalIgnoreCase),
            ProbeRandom.For(Kind, input.Id, seed));
        if (substitute is null)
        {
            return ProbeRewrite.Skip($"no {type.Label()} answer from another article to substitute");
        }
        var probed = new System.Text.StringBuilder(context.Length);
        var previous = 0;
        var goldAt = -1;
        foreach (var at in occurrences)
        {
            probed.Append(context, previous, at - previous);
            if (goldAt < 0 || at == gold.Start + (gold.Text.Length - gold.Text.TrimStart().Length))
            {
                goldAt = probed.Length;
            }
            probed.Append(substitute);
            previous = at + text.Length;
        }
        probed.Append(context, previous, context.Length - previous);
        return ProbeRewrite.Of(new ProbedExample(input.Question, probed.ToString(), [new GoldAnswer(substitute, goldAt)], ProbeExpectation.FollowsSubstitute,
            occurrences.Count == 1 ? $"“{text}” → “{substitute}”" : $"“{text}” → “{substitute}” ({occurrences.Count} times)"));
    }
}
