using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Review;

/// <summary>
/// A piece of a question or context as displayed: a token, or the untokenized text between two tokens (whitespace,
/// characters the tokenizer dropped). The segments of a text cover it exactly, in order, so a character offset in the
/// text is <see cref="Start"/> plus an offset inside a segment.
/// </summary>
/// <param name="Start">First character in the ORIGINAL text (UTF-16).</param>
/// <param name="End">Exclusive end in the ORIGINAL text.</param>
/// <param name="TokenIndex">Index of the token in the text's tokenization; null for the text between tokens.</param>
/// <param name="InGold">The segment touches a gold answer span.</param>
/// <param name="InPrediction">The segment touches the predicted span.</param>
/// <param name="Score">The token's attribution in [−1, 1] (divided by the largest |score| of the question and context
/// tokens); null between tokens, without an attribution, or for tokens outside the attributed window.</param>
public sealed record TextSegment(int Start, int End, string Text, int? TokenIndex, bool InGold, bool InPrediction, double? Score)
{
    public bool IsToken => TokenIndex is not null;

    /// <summary>In both the gold and the predicted span.</summary>
    public bool IsOverlap => InGold && InPrediction;
}

/// <summary>The question and context of a sample as segments, with gold, prediction and attribution marks.</summary>
public sealed record TokenView(IReadOnlyList<TextSegment> Question, IReadOnlyList<TextSegment> Context)
{
    /// <summary>Builds the view of <paramref name="sample"/> with the run's tokenizer and, optionally, an attribution of one of
    /// its windows (tokens outside that window get no score).</summary>
    public static TokenView Build(ISubwordTokenizer tokenizer, RunSample sample, QaAttribution? attribution)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(sample);
        (Dictionary<CharSpan, double> Question, Dictionary<CharSpan, double> Context)? scores = attribution is null ? null : NormalizedScores(attribution);
        CharSpan[] gold = [.. sample.GoldAnswers.Select(a => new CharSpan(a.Start, a.End))];
        CharSpan[] prediction = sample.PredictionEnd > sample.PredictionStart ? [new CharSpan(sample.PredictionStart, sample.PredictionEnd)] : [];
        return new TokenView(
            Segments(sample.Question, tokenizer.Tokenize(sample.Question).Spans, [], [], scores?.Question),
            Segments(sample.Context, tokenizer.Tokenize(sample.Context).Spans, gold, prediction, scores?.Context));
    }

    /// <summary>Cuts <paramref name="text"/> into token segments and the gaps between them.</summary>
    /// <param name="tokenSpans">Token spans in text order; a span reaching into its predecessor is clipped to start after it.</param>
    /// <param name="scores">Score by token span; spans not in it get none.</param>
    public static IReadOnlyList<TextSegment> Segments(
        string text, IReadOnlyList<CharSpan> tokenSpans, IReadOnlyList<CharSpan> gold, IReadOnlyList<CharSpan> prediction,
        IReadOnlyDictionary<CharSpan, double>? scores)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokenSpans);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(prediction);
        var segments = new List<TextSegment>(2 * tokenSpans.Count + 1);
        var position = 0;
        void Add(int start, int end, int? token, double? score)
        {
            var span = new CharSpan(start, end);
            segments.Add(new TextSegment(start, end, text[start..end], token, gold.Any(g => Touches(g, span)), prediction.Any(p => Touches(p, span)), score));
        }
        for (var t = 0; t < tokenSpans.Count; t++)
        {
            var span = tokenSpans[t];
            var start = Math.Clamp(Math.Max(span.Start, position), 0, text.Length);
            var end = Math.Clamp(span.End, start, text.Length);
            if (end == start)
            {
                continue;
            }
            if (start > position)
            {
                Add(position, start, null, null);
            }
            Add(start, end, t, scores is not null && scores.TryGetValue(span, out var score) ? score : null);
            position = end;
        }
        if (position < text.Length)
        {
            Add(position, text.Length, null, null);
        }
        return segments;
    }

    /// <summary>Question and context token scores divided by their largest magnitude ([CLS] and [SEP] left out: they have
    /// no text to colour, and their large scores would wash out the words).</summary>
    public static (Dictionary<CharSpan, double> Question, Dictionary<CharSpan, double> Context) NormalizedScores(QaAttribution attribution)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        var words = attribution.Tokens.Where(t => t.Source != TokenSource.Special).ToList();
        var max = words.Count == 0 ? 0 : words.Max(t => Math.Abs(t.Score));
        double Normalize(double score) => max > 0 && double.IsFinite(max) ? Math.Clamp(score / max, -1, 1) : 0;
        Dictionary<CharSpan, double> Of(TokenSource source)
        {
            var map = new Dictionary<CharSpan, double>();
            foreach (var token in words.Where(t => t.Source == source))
            {
                map[token.Span] = Normalize(token.Score);
            }
            return map;
        }
        return (Of(TokenSource.Question), Of(TokenSource.Context));
    }

    private static bool Touches(CharSpan a, CharSpan b) => a.Start < b.End && b.Start < a.End;
}
