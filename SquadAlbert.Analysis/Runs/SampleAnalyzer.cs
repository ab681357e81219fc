using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// Turns the pipeline's outputs for a batch of questions into <see cref="SampleRecord"/>s.
/// <list type="bullet">
/// <item>Unanswerable questions (SQuAD 2.0, no gold answer): the loss is against [CLS] (start and end at token 0) on
/// window 0, as Hugging Face trains them; EM and F1 are 1 for an abstention, else 0; answer tokens, words and position
/// are 0, the answer type "no answer", and the relation "exact" for an abstention, else "disjoint".</item>
/// <item>SQuAD 2.0 runs (a <see cref="AnalysisSettings.NullThreshold"/>) score every question with evaluate-v2.0.py's
/// EM and F1 (<see cref="OfficialSquadV2Metric"/>), so the run's EM and F1 equal that script's exact and f1.</item>
/// <item>Loss window: among the windows that hold the first gold answer, the one where it is most centred (the
/// largest distance to the nearer window edge in context tokens, BERT's "max context"; ties to the earlier window).
/// When no window holds it, window 0 with both targets on [CLS] (index 0), the Hugging Face training label, and
/// <see cref="SampleRecord.LossOnCls"/> set.</item>
/// <item>Embeddings: those of the loss window, so that every sample is represented by the window that shows the
/// model its answer (for single-window questions, the only window).</item>
/// <item>Token metrics: the prediction and the first gold answer as the ranges of context tokens (of the whole,
/// unwindowed context) their characters touch, compared with <see cref="TokenSpanMetrics"/>.</item>
/// </list>
/// </summary>
public sealed class SampleAnalyzer(ISubwordTokenizer tokenizer, AnalysisSettings settings)
{
    private string? _cachedContext;
    private TokenizedText _cachedContextTokens = TokenizedText.Empty;

    /// <param name="members">The batch's questions, in population order.</param>
    /// <param name="firstSampleIndex">Population position of <paramref name="members"/>[0].</param>
    /// <param name="result">The pipeline's answer to exactly these questions, in this order.</param>
    public IReadOnlyList<SampleRecord> Describe(
        IReadOnlyList<PopulationMember> members, int firstSampleIndex, QaPipelineResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(result);
        var outputsByExample = result.Outputs.ToLookup(o => o.Window.ExampleIndex);
        var records = new List<SampleRecord>(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var windows = outputsByExample[i].OrderBy(o => o.Window.WindowIndex).ToList();
            records.Add(Describe(members[i], firstSampleIndex + i, windows, result.Predictions[i]));
        }
        return records;
    }

    private SampleRecord Describe(PopulationMember member, int sampleIndex, List<QaWindowOutput> windows, QaPrediction prediction)
    {
        var example = member.Example;
        var answerable = example.Answers.Count > 0;
        // An unanswerable question (SQuAD 2.0) has no gold span: its "gold" is the empty answer at [CLS].
        var firstGold = answerable ? example.Answers[0] : new SquadAnswer("", 0);
        var golds = example.Answers.Select(a => a.Text).ToList();
        var score = answerable ? OfficialSquadMetric.Score(prediction.Text, golds) : new AnswerScore(prediction.IsNoAnswer, prediction.IsNoAnswer ? 1 : 0, 0);
        var squad2 = settings.NullThreshold is not null;
        var (exact, f1) = squad2
            ? (OfficialSquadV2Metric.Exact(prediction.Text, golds) == 1, OfficialSquadV2Metric.F1(prediction.Text, golds))
            : (score.ExactMatch, score.F1);
        var bestGold = answerable ? example.Answers[score.BestGoldIndex] : firstGold;
        var spanText = prediction.Best?.Text ?? "";

        var (lossOutput, lossOnCls) = ChooseLossWindow(windows);
        var loss = TokenSpanMetrics.Loss(lossOutput.StartLogits, lossOutput.EndLogits, new TokenSpan(lossOutput.Window.GoldStart, lossOutput.Window.GoldEnd));

        // The answer given: the best span, or nothing when the reader abstained (then its window and token probabilities are absent).
        var best = prediction.IsNoAnswer ? null : prediction.Best;
        var predictedOutput = best is null ? null : windows.First(w => w.Window.WindowIndex == best.WindowIndex);
        var contextTokens = ContextTokens(example.Context);
        var goldTokens = answerable ? TouchedTokens(contextTokens, new CharSpan(firstGold.AnswerStart, firstGold.AnswerEnd)) : new TokenSpan(0, -1);
        var predictedTokens = TouchedTokens(contextTokens, prediction.Span);
        var questionTokenCount = tokenizer.Tokenize(example.Question).Count;

        var questionClass = QuestionClassifier.Classify(example.Question);
        var contextReadability = Readability.Score(example.Context);
        var questionReadability = Readability.Score(example.Question);
        var relation = answerable
            ? AnswerRelation.Relate(prediction.Text, prediction.Span, bestGold.Text, new CharSpan(bestGold.AnswerStart, bestGold.AnswerEnd))
            : new SpanRelation(prediction.IsNoAnswer ? SpanRelationKind.Exact : SpanRelationKind.Disjoint, null);

        return new SampleRecord
        {
            SampleIndex = sampleIndex,
            ExampleId = example.Id,
            Split = member.Split,
            Title = example.Title,
            Question = example.Question,
            Context = example.Context,
            GoldAnswersJson = GoldAnswer.ToJson(example.Answers.Select(a => new GoldAnswer(a.Text, a.AnswerStart))),
            Prediction = prediction.Text,
            PredictionStart = prediction.Span.Start,
            PredictionEnd = prediction.Span.End,
            PredictionScore = prediction.Score,
            PredictionProbability = prediction.Probability,
            Answerable = answerable,
            NullScore = prediction.NullScore,
            NullScoreDiff = prediction.NullScoreDiff,
            NoAnswerProbability = prediction.NoAnswerProbability,
            PredictedNoAnswer = prediction.IsNoAnswer,
            SpanExactMatch = squad2 ? OfficialSquadV2Metric.Exact(spanText, golds) == 1 : answerable && OfficialSquadMetric.Score(spanText, golds).ExactMatch,
            SpanF1 = squad2 ? OfficialSquadV2Metric.F1(spanText, golds) : answerable ? OfficialSquadMetric.Score(spanText, golds).F1 : 0,
            Outcome = SampleOutcomes.Of(answerable, prediction.IsNoAnswer, exact),
            StartProbability = best is null ? 0 : Math.Exp(-TokenSpanMetrics.CrossEntropy(predictedOutput!.StartLogits, best.StartToken)),
            EndProbability = best is null ? 0 : Math.Exp(-TokenSpanMetrics.CrossEntropy(predictedOutput!.EndLogits, best.EndToken)),
            NBestJson = NBestEntry.ToJson(prediction.NBest.Select(c => new NBestEntry(c.Text, c.Span.Start, c.Span.End, c.Probability))),
            WindowCount = windows.Count,
            GoldPositionsJson = JsonSerializer.Serialize(windows.Select(w => new[] { w.Window.GoldStart, w.Window.GoldEnd })),
            LossWindow = lossOutput.Window.WindowIndex,
            LossOnCls = lossOnCls,
            LossStart = loss.Start,
            LossEnd = loss.End,
            Loss = loss.Mean,
            ExactMatch = exact,
            F1 = f1,
            BestGoldIndex = score.BestGoldIndex,
            TokenExactMatch = TokenSpanMetrics.ExactMatch(predictedTokens, goldTokens),
            TokenF1 = TokenSpanMetrics.F1(predictedTokens, goldTokens),
            TokenIou = TokenSpanMetrics.IntersectionOverUnion(predictedTokens, goldTokens),
            QuestionType = questionClass.Type.Label(),
            QuestionWhWord = questionClass.WhWord,
            QuestionFirstWords = questionClass.FirstWords,
            AnswerType = answerable ? AnswerTypeClassifier.Classify(firstGold.Text).Label() : SampleOutcomes.NoAnswerType,
            QuestionTokens = questionTokenCount,
            QuestionWords = TextWords.CountWhitespaceWords(example.Question),
            ContextTokens = contextTokens.Count,
            ContextWords = TextWords.CountWhitespaceWords(example.Context),
            AnswerTokens = goldTokens.Length,
            AnswerWords = TextWords.CountWhitespaceWords(firstGold.Text),
            AnswerPosition = !answerable || example.Context.Length == 0 ? 0 : (firstGold.AnswerStart + firstGold.Text.Length / 2.0) / example.Context.Length,
            IsMultiWindow = windows.Count > 1,
            IsQuestionTruncated = questionTokenCount > settings.MaxQueryLength,
            ContextFlesch = contextReadability?.FleschReadingEase,
            ContextFkGrade = contextReadability?.FleschKincaidGrade,
            QuestionFlesch = questionReadability?.FleschReadingEase,
            QuestionFkGrade = questionReadability?.FleschKincaidGrade,
            PredictionHasQuotes = AnswerMarks.HasQuotationMarks(prediction.Text),
            PredictionHasBrackets = AnswerMarks.HasBrackets(prediction.Text),
            GoldHasQuotes = AnswerMarks.HasQuotationMarks(bestGold.Text),
            GoldHasBrackets = AnswerMarks.HasBrackets(bestGold.Text),
            Relation = relation.Kind.Label(),
            RelationCharDistance = relation.CharDistance,
            ContextMeanEmbedding = lossOutput.ContextMeanEmbedding,
            ClsEmbedding = lossOutput.ClsEmbedding,
        };
    }

    /// <summary>The window the loss is computed on; see the class remarks.</summary>
    public static (QaWindowOutput Output, bool OnCls) ChooseLossWindow(IReadOnlyList<QaWindowOutput> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var (index, onCls) = ChooseLossWindow([.. windows.Select(w => w.Window)]);
        return (windows[index], onCls);
    }

    /// <summary>The index of the window the loss is computed on (the gold window with the widest context margin), and
    /// whether the gold is outside every window (then window 0, with the loss on [CLS]).</summary>
    public static (int Index, bool OnCls) ChooseLossWindow(IReadOnlyList<QaWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count);
        var best = -1;
        var bestMargin = -1;
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            if (!window.ContainsAnswer)
            {
                continue;
            }
            var firstContext = Array.IndexOf(window.Sources, TokenSource.Context);
            var lastContext = Array.LastIndexOf(window.Sources, TokenSource.Context);
            var margin = Math.Min(window.GoldStart - firstContext, lastContext - window.GoldEnd);
            if (margin > bestMargin)
            {
                (best, bestMargin) = (i, margin);
            }
        }
        return best < 0 ? (0, true) : (best, false);
    }

    private TokenizedText ContextTokens(string context)
    {
        if (!string.Equals(context, _cachedContext, StringComparison.Ordinal))
        {
            _cachedContext = context;
            _cachedContextTokens = tokenizer.Tokenize(context);
        }
        return _cachedContextTokens;
    }

    /// <summary>The tokens whose characters intersect <paramref name="span"/>; an empty span (End &lt; Start) when none.</summary>
    private static TokenSpan TouchedTokens(TokenizedText tokens, CharSpan span)
    {
        int first = -1, last = -2;
        for (var t = 0; t < tokens.Count && span.Length > 0; t++)
        {
            if (tokens.Spans[t].End > span.Start && tokens.Spans[t].Start < span.End)
            {
                first = first < 0 ? t : first;
                last = t;
            }
        }
        return first < 0 ? new TokenSpan(0, -1) : new TokenSpan(first, last);
    }
}
