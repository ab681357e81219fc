using System.Globalization;
using System.Text.RegularExpressions;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Dashboard.Features.Review;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>Everything the sample page shows about one sample, built from its row, its review decision and (optionally)
/// an attribution. A fixed decision replaces the first gold answer in what is shown; the metrics stay those the run computed.</summary>
/// <param name="NullThreshold">The run's SQuAD 2.0 no-answer threshold (<see cref="RunNoAnswerReport.RunThresholdOf"/>);
/// null for a v1.1 run, whose samples show no null-answer panel.</param>
public sealed partial record SampleDetails(
    RunSample Sample, ReviewDecision? Decision, IReadOnlyList<GoldAnswer> Gold, TokenView Tokens, string? TokenProblem, double? NullThreshold = null)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static SampleDetails Build(
        RunSample sample, string modelFolder, RunTokenizers tokenizers, ReviewDecision? decision, QaAttribution? attribution, double? nullThreshold = null) =>
        BuildTokens(sample, modelFolder, tokenizers, decision, attribution) with { NullThreshold = nullThreshold };

    private static SampleDetails BuildTokens(RunSample sample, string modelFolder, RunTokenizers tokenizers, ReviewDecision? decision, QaAttribution? attribution)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(tokenizers);
        var gold = EffectiveGold(sample, decision);
        var shown = sample with { GoldAnswers = gold };
        try
        {
            return new SampleDetails(sample, decision, gold, TokenView.Build(tokenizers.For(modelFolder), shown, attribution), null);
        }
        catch (InputException e)
        {
            // Without the run's tokenizer the text is still shown, cut at whitespace, so review keeps working.
            CharSpan[] goldSpans = [.. gold.Select(a => new CharSpan(a.Start, a.End))];
            CharSpan[] predicted = sample.PredictionEnd > sample.PredictionStart ? [new CharSpan(sample.PredictionStart, sample.PredictionEnd)] : [];
            var view = new TokenView(
                TokenView.Segments(sample.Question, Words(sample.Question), [], [], null),
                TokenView.Segments(sample.Context, Words(sample.Context), goldSpans, predicted, null));
            return new SampleDetails(sample, decision, gold, view, $"Tokens are words, not the model's pieces: {e.Message}");
        }
    }

    /// <summary>The gold answers as reviewed: a fix replaces the first one.</summary>
    public static IReadOnlyList<GoldAnswer> EffectiveGold(RunSample sample, ReviewDecision? decision)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (decision?.Fix is not { } fix)
        {
            return sample.GoldAnswers;
        }
        return [new GoldAnswer(fix.Text, fix.Start), .. sample.GoldAnswers.Skip(1)];
    }

    /// <summary>The gold answers with how many annotators gave each (SQuAD dev repeats equal answers), in first-seen order.</summary>
    public IReadOnlyList<(GoldAnswer Answer, int Count)> DistinctGold =>
        [.. Gold.GroupBy(a => a).Select(g => (g.Key, g.Count()))];

    public IReadOnlyList<(string Label, string Value)> Metrics =>
    [
        ("Exact match", Sample.ExactMatch ? "yes" : "no"),
        ("F1", Sample.F1.ToString("0.000", Culture)),
        ("Loss", Sample.Loss.ToString("0.000", Culture)),
        ("Loss start / end", $"{Sample.LossStart.ToString("0.000", Culture)} / {Sample.LossEnd.ToString("0.000", Culture)}"),
        ("Answer probability", Sample.PredictionProbability.ToString("0.000", Culture)),
        ("Start / end probability", $"{Sample.StartProbability.ToString("0.000", Culture)} / {Sample.EndProbability.ToString("0.000", Culture)}"),
        ("Relation to gold", Sample.Relation),
    ];

    /// <summary>A SQuAD 2.0 sample (its run has a no-answer threshold and the sample its null score): the page shows
    /// <see cref="NullAnswer"/> beside the best span.</summary>
    public bool ShowsNullAnswer => NullThreshold is not null && Sample.NoAnswer is { NullScore: not null };

    /// <summary>What the gold panel says when there is no gold answer: a SQuAD 2.0 question marked unanswerable.</summary>
    public string? GoldNote => Gold.Count == 0 && Sample.IsUnanswerable ? "No answer (marked unanswerable)" : null;

    /// <summary>The prediction as shown: "(no answer)" when the reader abstained, "(empty)" for another empty prediction.</summary>
    public string PredictionText => Sample.Prediction.Length > 0 ? Sample.Prediction : Sample.NoAnswer is { PredictedNoAnswer: true } ? "(no answer)" : "(empty)";

    /// <summary>The null answer beside the best span: the scores post-processing compared (abstain when null − best span
    /// &gt; threshold), the no-answer probability, whether the reader abstained and the outcome. Empty unless
    /// <see cref="ShowsNullAnswer"/>.</summary>
    public IReadOnlyList<(string Label, string Value)> NullAnswer
    {
        get
        {
            if (!ShowsNullAnswer)
            {
                return [];
            }
            var noAnswer = Sample.NoAnswer!;
            return
            [
                ("Marked", noAnswer.Answerable ? "answerable" : "unanswerable"),
                ("Best span", noAnswer.BestSpanText.Length > 0 ? $"“{noAnswer.BestSpanText}”" : "none"),
                ("Best span score", Value(noAnswer.BestSpanScore)),
                ("Null score ([CLS])", Value(noAnswer.NullScore)),
                ("Null − best span", Value(noAnswer.NullScoreDiff)),
                ("Run threshold", Value(NullThreshold)),
                ("No-answer probability", Value(noAnswer.NoAnswerProbability)),
                ("Reader abstained", noAnswer.PredictedNoAnswer ? "yes" : "no"),
                ("Outcome", noAnswer.Outcome ?? "not stored"),
            ];
        }
    }

    public IReadOnlyList<(string Label, string Value)> Metadata =>
    [
        ("Question id", Sample.ExampleId),
        ("Title", Sample.Title.Replace('_', ' ')),
        ("Split", Sample.Split),
        ("Question type", Sample.QuestionType),
        ("Answer type", Sample.AnswerType),
        ("Windows", Sample.WindowCount.ToString(Culture)),
        ("Loss window", Sample.LossWindow.ToString(Culture) + (Sample.LossOnCls ? " (gold outside every window: loss on [CLS])" : "")),
        ("Label-error score", Format(Sample.Label.ErrorScore)),
        ("Label kind", Sample.Label.Kind?.Label() ?? "not scored"),
    ];

    private static string Value(double? value) => value?.ToString("0.000", Culture) ?? "–";

    private static string Format(double? value) => value?.ToString("0.000", Culture) ?? "not scored";

    private static CharSpan[] Words(string text) => [.. WordPattern().Matches(text).Select(m => new CharSpan(m.Index, m.Index + m.Length))];

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();
}
