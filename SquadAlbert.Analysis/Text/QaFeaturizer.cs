using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// How examples become model inputs.
/// </summary>
/// <param name="MaxSeqLength">Tokens per window, [CLS] and both [SEP] included.</param>
/// <param name="DocStride">Context tokens shared by consecutive windows (Hugging Face <c>stride</c>, as in run_qa.py).
/// NOT the original BERT run_squad.py meaning (distance between window starts): here consecutive windows start
/// <c>window length - DocStride</c> tokens apart.</param>
/// <param name="MaxQueryLength">Question tokens kept; longer questions are cut at the end (BERT run_squad.py).</param>
public sealed record QaFeaturizerOptions(int MaxSeqLength = 384, int DocStride = 128, int MaxQueryLength = 64)
{
    public static QaFeaturizerOptions Default { get; } = new();

    /// <summary>Context tokens that fit in one window next to a question of <paramref name="questionTokens"/> tokens.</summary>
    public int ContextTokensPerWindow(int questionTokens) => MaxSeqLength - questionTokens - 3;

    public void Validate()
    {
        if (MaxQueryLength < 1 || DocStride < 0 || MaxSeqLength - MaxQueryLength - 3 <= DocStride)
        {
            throw new InputException(
                $"featurizer options: need MaxQueryLength >= 1, DocStride >= 0 and MaxSeqLength - MaxQueryLength - 3 > DocStride " +
                $"(got MaxSeqLength {MaxSeqLength}, DocStride {DocStride}, MaxQueryLength {MaxQueryLength})");
        }
    }
}

/// <summary>
/// Turns SQuAD examples into <see cref="QaWindow"/>s: <c>[CLS] question [SEP] context-window [SEP]</c>, a long
/// context giving several overlapping windows, with gold token positions by the Hugging Face run_qa.py rules:
/// the FIRST gold answer is used; start = last context token starting at or before the answer start, end = first
/// context token (from the right) ending at or after the answer end; [CLS] (0) for both when the answer is not
/// fully inside the window or the example has no answer.
/// </summary>
public sealed class QaFeaturizer
{
    private readonly ISubwordTokenizer _tokenizer;

    public QaFeaturizer(ISubwordTokenizer tokenizer, QaFeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        Options = options ?? QaFeaturizerOptions.Default;
        Options.Validate();
    }

    public QaFeaturizerOptions Options { get; }

    /// <summary>All windows of all examples, in order; a context shared by consecutive examples is tokenized once.</summary>
    public IEnumerable<QaWindow> Featurize(IEnumerable<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        string? lastContext = null;
        TokenizedText? lastTokens = null;
        var index = 0;
        foreach (var example in examples)
        {
            if (example.Context != lastContext)
            {
                lastContext = example.Context;
                lastTokens = _tokenizer.Tokenize(example.Context);
            }
            foreach (var window in Featurize(example, index, lastTokens!))
            {
                yield return window;
            }
            index++;
        }
    }

    /// <summary>The windows of one example; <paramref name="exampleIndex"/> is copied into each.</summary>
    public IReadOnlyList<QaWindow> Featurize(SquadExample example, int exampleIndex)
    {
        ArgumentNullException.ThrowIfNull(example);
        return Featurize(example, exampleIndex, _tokenizer.Tokenize(example.Context));
    }

    private List<QaWindow> Featurize(SquadExample example, int exampleIndex, TokenizedText context)
    {
        var question = _tokenizer.Tokenize(example.Question);
        var questionCount = Math.Min(question.Count, Options.MaxQueryLength);
        var perWindow = Options.ContextTokensPerWindow(questionCount);
        var answer = example.IsImpossible || example.Answers.Count == 0 ? null : example.Answers[0];

        var windows = new List<QaWindow>();
        var step = perWindow - Options.DocStride;
        for (var start = 0; ; start += step)
        {
            var count = Math.Min(perWindow, context.Count - start);
            windows.Add(Build(example, exampleIndex, windows.Count, question, questionCount, context, start, Math.Max(count, 0), answer));
            if (start + count >= context.Count)
            {
                break;
            }
        }
        return windows;
    }

    private QaWindow Build(SquadExample example, int exampleIndex, int windowIndex, TokenizedText question, int questionCount,
        TokenizedText context, int contextStart, int contextCount, SquadAnswer? answer)
    {
        var length = questionCount + contextCount + 3;
        var ids = new int[length];
        var types = new int[length];
        var sources = new TokenSource[length];
        var spans = new CharSpan[length];

        ids[0] = _tokenizer.ClsId;
        Array.Copy(question.Ids, 0, ids, 1, questionCount);
        Array.Copy(question.Spans, 0, spans, 1, questionCount);
        sources.AsSpan(1, questionCount).Fill(TokenSource.Question);
        var firstSep = questionCount + 1;
        ids[firstSep] = _tokenizer.SepId;

        var firstContext = firstSep + 1;
        Array.Copy(context.Ids, contextStart, ids, firstContext, contextCount);
        Array.Copy(context.Spans, contextStart, spans, firstContext, contextCount);
        sources.AsSpan(firstContext, contextCount).Fill(TokenSource.Context);
        ids[^1] = _tokenizer.SepId;
        types.AsSpan(firstContext).Fill(1);

        var (goldStart, goldEnd) = answer is null ? (0, 0) : GoldPositions(spans, firstContext, firstContext + contextCount - 1, answer);
        return new QaWindow(exampleIndex, example.Id, windowIndex, ids, types, sources, spans, goldStart, goldEnd);
    }

    private static (int Start, int End) GoldPositions(CharSpan[] spans, int firstContext, int lastContext, SquadAnswer answer)
    {
        if (lastContext < firstContext || spans[firstContext].Start > answer.AnswerStart || spans[lastContext].End < answer.AnswerEnd)
        {
            return (0, 0);
        }
        var start = firstContext;
        while (start <= lastContext && spans[start].Start <= answer.AnswerStart)
        {
            start++;
        }
        var end = lastContext;
        while (end >= firstContext && spans[end].End >= answer.AnswerEnd)
        {
            end--;
        }
        return (start - 1, end + 1);
    }
}
