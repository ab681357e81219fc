using System.Text.Json.Serialization;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>Span search limits (Hugging Face defaults) and the null answer.</summary>
/// <param name="NBest">Candidate starts and ends kept per window, and answers kept per example.</param>
/// <param name="MaxAnswerTokens">Longest answer, in tokens (end − start + 1).</param>
/// <param name="NullThreshold">Null: SQuAD v1.1, the best span is always the answer. A value: SQuAD 2.0, the answer is
/// <c>""</c> (no answer) when null score − best span score &gt; this (Hugging Face's <c>null_score_diff_threshold</c>).</param>
/// <remarks>Serialised inside a run's settings JSON (part of its run key): a null threshold is left out, so SQuAD 1.1
/// runs keep the JSON they had before the null answer existed.</remarks>
public sealed record QaPostProcessingOptions(
    int NBest = 20, int MaxAnswerTokens = 30,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NullThreshold = null);

/// <summary>One candidate answer span.</summary>
/// <param name="Span">Characters of the answer in the ORIGINAL context.</param>
/// <param name="Score">start logit + end logit.</param>
/// <param name="Probability">Softmax of <paramref name="Score"/> over the example's n-best list.</param>
public sealed record QaCandidate(
    string Text, CharSpan Span, int WindowIndex, int StartToken, int EndToken, float StartLogit, float EndLogit, double Score, double Probability);

/// <summary>The answer for one example: the best candidate (empty text when no valid span exists, or when the null
/// answer wins under <see cref="QaPostProcessingOptions.NullThreshold"/>) and the n-best list of spans (never the null answer).</summary>
/// <param name="Score">The answer's start + end logit: the best span's, or the null score when it abstains.</param>
/// <param name="Probability">The best span's n-best probability, or <see cref="NoAnswerProbability"/> when it abstains.</param>
public sealed record QaPrediction(int ExampleIndex, string ExampleId, string Text, CharSpan Span, double Score, double Probability, IReadOnlyList<QaCandidate> NBest)
{
    public QaCandidate? Best => NBest.Count > 0 ? NBest[0] : null;

    /// <summary>[CLS] start logit + [CLS] end logit, the minimum over the example's windows (Hugging Face's
    /// <c>min_null_prediction</c>). Computed for every example; only SQuAD 2.0 post-processing acts on it.</summary>
    public double NullScore { get; init; }

    /// <summary>Null score − best span score (Hugging Face's <c>null_odds</c>); null when there is no span.</summary>
    public double? NullScoreDiff => Best is { } best ? NullScore - best.Score : null;

    /// <summary>Softmax weight of the null score against the n-best spans' scores: the probability Hugging Face's
    /// n-best list gives the empty answer; 1 when there is no span.</summary>
    public double NoAnswerProbability { get; init; }

    /// <summary>True when the answer is <c>""</c>: the null answer won (SQuAD 2.0) or no valid span exists.</summary>
    public bool IsNoAnswer => Text.Length == 0;
}

/// <summary>
/// Turns window logits into answers like Hugging Face's <c>postprocess_qa_predictions</c>:
/// per window, the <see cref="QaPostProcessingOptions.NBest"/> highest start and end logits are paired; a pair is kept
/// when both tokens are context tokens, start ≤ end and the span has at most MaxAnswerTokens tokens; candidates of all
/// windows of an example compete on start + end logit; the n-best get softmax probabilities; the answer text is cut
/// from the original context by the tokens' character spans. One deliberate difference: the top starts and ends are
/// chosen among context tokens, so a window whose highest logits sit on question tokens still yields candidates.
/// SQuAD 2.0 (<c>version_2_with_negative</c>, a <see cref="QaPostProcessingOptions.NullThreshold"/>): the null score is
/// the smallest [CLS] start + end logit over the windows, and the answer is <c>""</c> when null score − best span
/// score exceeds the threshold (equal does not: the span is kept); otherwise the best span, which is the best
/// non-null candidate (spans here are never empty).
/// </summary>
public static class QaPostProcessor
{
    public static IReadOnlyList<QaPrediction> Predict(
        IReadOnlyList<SquadExample> examples, IReadOnlyList<QaWindowOutput> outputs, QaPostProcessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(outputs);
        options ??= new QaPostProcessingOptions();
        var byExample = outputs.ToLookup(o => o.Window.ExampleIndex);
        var predictions = new List<QaPrediction>(examples.Count);
        for (var e = 0; e < examples.Count; e++)
        {
            predictions.Add(PredictExample(e, examples[e], byExample[e], options));
        }
        return predictions;
    }

    private static QaPrediction PredictExample(int exampleIndex, SquadExample example, IEnumerable<QaWindowOutput> windows, QaPostProcessingOptions options)
    {
        var candidates = new List<(QaWindowOutput Output, int Start, int End)>();
        foreach (var output in windows)
        {
            var window = output.Window;
            if (output.StartLogits.Length != window.Length || output.EndLogits.Length != window.Length)
            {
                throw new ArgumentException($"window {window.ExampleId}#{window.WindowIndex}: logits do not match its {window.Length} tokens.", nameof(windows));
            }
            var starts = TopContextTokens(window, output.StartLogits, options.NBest);
            var ends = TopContextTokens(window, output.EndLogits, options.NBest);
            foreach (var start in starts)
            {
                foreach (var end in ends)
                {
                    if (end >= start && end - start + 1 <= options.MaxAnswerTokens)
                    {
                        candidates.Add((output, start, end));
                    }
                }
            }
        }
        var nullScore = NullScore(windows);
        var best = candidates
            .OrderByDescending(c => (double)c.Output.StartLogits[c.Start] + c.Output.EndLogits[c.End])
            .Take(options.NBest)
            .ToList();
        if (best.Count == 0)
        {
            return new QaPrediction(exampleIndex, example.Id, "", CharSpan.Empty, options.NullThreshold is null ? 0 : nullScore, options.NullThreshold is null ? 0 : 1, [])
            {
                NullScore = nullScore,
                NoAnswerProbability = 1,
            };
        }
        var scores = best.Select(c => (double)c.Output.StartLogits[c.Start] + c.Output.EndLogits[c.End]).ToArray();
        var max = scores.Max();
        var exps = scores.Select(s => Math.Exp(s - max)).ToArray();
        var total = exps.Sum();
        // The null answer's share when it joins the n-best list, computed from the larger of the two maxima.
        var shift = Math.Max(max, nullScore);
        var nullWeight = Math.Exp(nullScore - shift);
        var noAnswerProbability = nullWeight / (nullWeight + (total * Math.Exp(max - shift)));
        var nBest = best.Select((c, i) =>
        {
            var span = new CharSpan(c.Output.Window.Spans[c.Start].Start, c.Output.Window.Spans[c.End].End);
            return new QaCandidate(
                example.Context[span.Start..span.End], span, c.Output.Window.WindowIndex, c.Start, c.End,
                c.Output.StartLogits[c.Start], c.Output.EndLogits[c.End], scores[i], exps[i] / total);
        }).ToList();
        var top = nBest[0];
        if (options.NullThreshold is { } threshold && nullScore - top.Score > threshold)
        {
            return new QaPrediction(exampleIndex, example.Id, "", CharSpan.Empty, nullScore, noAnswerProbability, nBest)
            {
                NullScore = nullScore,
                NoAnswerProbability = noAnswerProbability,
            };
        }
        return new QaPrediction(exampleIndex, example.Id, top.Text, top.Span, top.Score, top.Probability, nBest)
        {
            NullScore = nullScore,
            NoAnswerProbability = noAnswerProbability,
        };
    }

    /// <summary>The smallest [CLS] (token 0) start + end logit over the windows; 0 without windows.</summary>
    private static double NullScore(IEnumerable<QaWindowOutput> windows)
    {
        var min = double.PositiveInfinity;
        foreach (var output in windows)
        {
            min = Math.Min(min, (double)output.StartLogits[0] + output.EndLogits[0]);
        }
        return double.IsPositiveInfinity(min) ? 0 : min;
    }

    /// <summary>Indices of the <paramref name="count"/> largest logits among context tokens, largest first.</summary>
    private static List<int> TopContextTokens(QaWindow window, float[] logits, int count) =>
        Enumerable.Range(0, window.Length)
            .Where(t => window.Sources[t] == TokenSource.Context)
            .OrderByDescending(t => logits[t])
            .Take(count)
            .ToList();
}
