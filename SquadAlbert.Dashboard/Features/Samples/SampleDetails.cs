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
public sealed partial record SampleDetails(
    RunSample Sample, ReviewDecision? Decision, IReadOnlyList<GoldAnswer> Gold, TokenView Tokens, string? TokenProblem)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static SampleDetails Build(RunSample sample, string modelFolder, RunTokenizers tokenizers, ReviewDecision? decision, QaAttribution? attribution)
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

    private static string Format(double? value) => value?.ToString("0.000", Culture) ?? "not scored";

    private static CharSpan[] Words(string text) => [.. WordPattern().Matches(text).Select(m => new CharSpan(m.Index, m.Index + m.Length))];

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();
}
