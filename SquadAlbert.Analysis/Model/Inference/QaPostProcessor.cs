using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>Span search limits, Hugging Face defaults.</summary>
/// <param name="NBest">Candidate starts and ends kept per window, and answers kept per example.</param>
/// <param name="MaxAnswerTokens">Longest answer, in tokens (end − start + 1).</param>
public sealed record QaPostProcessingOptions(int NBest = 20, int MaxAnswerTokens = 30);

/// <summary>One candidate answer span.</summary>
/// <param name="Span">Characters of the answer in the ORIGINAL context.</param>
/// <param name="Score">start logit + end logit.</param>
/// <param name="Probability">Softmax of <paramref name="Score"/> over the example's n-best list.</param>
public sealed record QaCandidate(
    string Text, CharSpan Span, int WindowIndex, int StartToken, int EndToken, float StartLogit, float EndLogit, double Score, double Probability);

/// <summary>The answer for one example: the best candidate (empty text when no valid span exists) and the n-best list.</summary>
public sealed record QaPrediction(int ExampleIndex, string ExampleId, string Text, CharSpan Span, double Score, double Probability, IReadOnlyList<QaCandidate> NBest)
{
    public QaCandidate? Best => NBest.Count > 0 ? NBest[0] : null;
}

/// <summary>
/// Turns window logits into answers like Hugging Face's <c>postprocess_qa_predictions</c> (SQuAD v1.1, no null answer):
/// per window, the <see cref="QaPostProcessingOptions.NBest"/> highest start and end logits are paired; a pair is kept
/// when both tokens are context tokens, start ≤ end and the span has at most MaxAnswerTokens tokens; candidates of all
/// windows of an example compete on start + end logit; the n-best get softmax probabilities; the answer text is cut
/// from the original context by the tokens' character spans. One deliberate difference: the top starts and ends are
/// chosen among context tokens, so a window whose highest logits sit on question tokens still yields candidates.
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
        var best = candidates
            .OrderByDescending(c => (double)c.Output.StartLogits[c.Start] + c.Output.EndLogits[c.End])
            .Take(options.NBest)
            .ToList();
        if (best.Count == 0)
        {
            return new QaPrediction(exampleIndex, example.Id, "", CharSpan.Empty, 0, 0, []);
        }
        var scores = best.Select(c => (double)c.Output.StartLogits[c.Start] + c.Output.EndLogits[c.End]).ToArray();
        var max = scores.Max();
        var exps = scores.Select(s => Math.Exp(s - max)).ToArray();
        var total = exps.Sum();
        var nBest = best.Select((c, i) =>
        {
            var span = new CharSpan(c.Output.Window.Spans[c.Start].Start, c.Output.Window.Spans[c.End].End);
            return new QaCandidate(
                example.Context[span.Start..span.End], span, c.Output.Window.WindowIndex, c.Start, c.End,
                c.Output.StartLogits[c.Start], c.Output.EndLogits[c.End], scores[i], exps[i] / total);
        }).ToList();
        var top = nBest[0];
        return new QaPrediction(exampleIndex, example.Id, top.Text, top.Span, top.Score, top.Probability, nBest);
    }

    /// <summary>Indices of the <paramref name="count"/> largest logits among context tokens, largest first.</summary>
    private static List<int> TopContextTokens(QaWindow window, float[] logits, int count) =>
        Enumerable.Range(0, window.Length)
            .Where(t => window.Sources[t] == TokenSource.Context)
            .OrderByDescending(t => logits[t])
            .Take(count)
            .ToList();
}
