using System.Globalization;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>A sample in the review queue with its latest decision and, in a SQuAD 2.0 run, its answerability check.</summary>
public sealed record ReviewItem(RunSample Sample, ReviewDecision? Decision, AnswerabilitySuspicion Answerability = AnswerabilitySuspicion.None)
{
    public const int ExcerptMargin = 90;

    public GoldAnswer? FirstGold => Gold.Count > 0 ? Gold[0] : null;

    /// <summary>The context around the gold answers and the prediction.</summary>
    public IReadOnlyList<ExcerptPiece> Excerpt => ContextExcerpt.Around(
        Sample.Context, [.. Gold.Select(g => (g.Start, g.End))], (Sample.PredictionStart, Sample.PredictionEnd), ExcerptMargin);

    /// <summary>The gold answers as reviewed (a fix replaces the first).</summary>
    public IReadOnlyList<GoldAnswer> Gold => SampleDetails.EffectiveGold(Sample, Decision);
}

/// <summary>Which items of the queue are shown.</summary>
/// <param name="UndecidedOnly">Only items without a decision.</param>
/// <param name="Kind">Only items of this label kind; null for every kind.</param>
/// <param name="Answerability">Only items the answerability check raises this suspicion for (SQuAD 2.0); null for every item.</param>
public sealed record ReviewFilter(bool UndecidedOnly = false, LabelKind? Kind = null, AnswerabilitySuspicion? Answerability = null);

/// <summary>A choice of the label-kind filter: its value in the select and its text, with the number of items it keeps.</summary>
public sealed record ReviewKindChoice(string Value, string Text);

/// <summary>
/// A run's samples in review order: by label-error score, highest first, once the latent analysis scored the run; by loss,
/// highest first, until then. Ties and unscored samples go by sample index. Decisions update the queue in place. A
/// <see cref="ReviewFilter"/> shows the undecided items, or those of one label kind ("probably wrong", "ambiguous"), or,
/// in a SQuAD 2.0 run (one with unanswerable questions), those of one <see cref="AnswerabilityCheck"/> suspicion.
/// </summary>
public sealed class ReviewOrder
{
    private readonly List<ReviewItem> _items;

    private ReviewOrder(List<ReviewItem> items, bool orderedByLabelScore, bool hasUnanswerable)
    {
        _items = items;
        OrderedByLabelScore = orderedByLabelScore;
        HasUnanswerable = hasUnanswerable;
    }

    /// <summary>Some sample is marked unanswerable: a SQuAD 2.0 run, whose items carry their answerability check.</summary>
    public bool HasUnanswerable { get; }

    /// <summary>False when no sample of the run has a label-error score, so the queue is ordered by loss.</summary>
    public bool OrderedByLabelScore { get; }

    public int Count => _items.Count;

    public int Decided => _items.Count(i => i.Decision is not null);

    public static ReviewOrder Load(IReadOnlyList<RunSample> samples, IReadOnlyList<ReviewDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(decisions);
        var bySample = decisions.ToDictionary(d => d.SampleIndex);
        var scored = samples.Any(s => s.Label.ErrorScore is not null);
        var ordered = scored
            ? samples.OrderBy(s => s.Label.ErrorScore is null).ThenByDescending(s => s.Label.ErrorScore).ThenBy(s => s.SampleIndex)
            : samples.OrderByDescending(s => s.Loss).ThenBy(s => s.SampleIndex);
        // The reader of a v1.1 run was never asked to abstain: its no-answer probability says nothing about the labels.
        var v2 = samples.Any(s => s.IsUnanswerable);
        return new ReviewOrder(
            [.. ordered.Select(s => new ReviewItem(s, bySample.GetValueOrDefault(s.SampleIndex), v2 ? s.Answerability : AnswerabilitySuspicion.None))],
            scored, v2);
    }

    /// <summary>The value of the answerability filter's "every item" choice.</summary>
    public const string AnyAnswerability = "any";

    /// <summary>The suspicions the answerability filter offers, with their choice values and texts.</summary>
    public static IReadOnlyList<(AnswerabilitySuspicion Suspicion, string Value, string Text)> Suspicions { get; } =
    [
        (AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer, "unanswerable-answer", "Marked unanswerable, confident answer of the asked type"),
        (AnswerabilitySuspicion.AnswerableButConfidentAbstention, "answerable-abstention", "Marked answerable, confident abstention"),
    ];

    /// <summary>The short text of a suspicion, for an item's chip.</summary>
    public static string ChipOf(AnswerabilitySuspicion suspicion) => suspicion switch
    {
        AnswerabilitySuspicion.UnanswerableButConfidentTypedAnswer => "unanswerable? reader answers",
        AnswerabilitySuspicion.AnswerableButConfidentAbstention => "answerable? reader abstains",
        _ => "",
    };

    /// <summary>The answerability filter's choices, each with how many items of <paramref name="undecidedOnly"/> and
    /// <paramref name="kind"/> it keeps.</summary>
    public IReadOnlyList<ReviewKindChoice> AnswerabilityChoices(bool undecidedOnly, LabelKind? kind)
    {
        var items = Visible(new ReviewFilter(undecidedOnly, kind));
        return
        [
            new(AnyAnswerability, string.Create(CultureInfo.InvariantCulture, $"Every item ({items.Count})")),
            .. Suspicions.Select(s => new ReviewKindChoice(s.Value,
                string.Create(CultureInfo.InvariantCulture, $"{s.Text} ({items.Count(i => i.Answerability == s.Suspicion)})"))),
        ];
    }

    /// <summary>The suspicion an answerability choice's value stands for; null for <see cref="AnyAnswerability"/>.</summary>
    /// <exception cref="Analysis.InputException">A value that names no suspicion.</exception>
    public static AnswerabilitySuspicion? AnswerabilityOf(string value) => value == AnyAnswerability
        ? null
        : Suspicions.Where(s => s.Value == value).Select(s => (AnswerabilitySuspicion?)s.Suspicion).FirstOrDefault()
          ?? throw new Analysis.InputException($"review answerability filter: unknown value '{value}'.");

    /// <summary>The choice value of a suspicion; <see cref="AnyAnswerability"/> for null.</summary>
    public static string AnswerabilityValueOf(AnswerabilitySuspicion? suspicion) =>
        suspicion is { } s ? Suspicions.First(c => c.Suspicion == s).Value : AnyAnswerability;

    /// <summary>The value of the kind filter's "every kind" choice.</summary>
    public const string AnyKind = "any";

    /// <summary>The items <paramref name="filter"/> keeps, in queue order.</summary>
    public IReadOnlyList<ReviewItem> Visible(ReviewFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter is { UndecidedOnly: false, Kind: null, Answerability: null }
            ? _items
            : [.. _items.Where(i => (!filter.UndecidedOnly || i.Decision is null) && (filter.Kind is null || i.Sample.Label.Kind == filter.Kind)
                                    && (filter.Answerability is null || i.Answerability == filter.Answerability))];
    }

    /// <summary>The kind filter's choices: every kind, then each <see cref="LabelKind"/> with how many items have it
    /// (of those <paramref name="undecidedOnly"/> keeps); kinds no item has are left out, except the one selected.</summary>
    public IReadOnlyList<ReviewKindChoice> KindChoices(bool undecidedOnly, LabelKind? selected)
    {
        var items = Visible(new ReviewFilter(undecidedOnly));
        var choices = new List<ReviewKindChoice> { new(AnyKind, string.Create(CultureInfo.InvariantCulture, $"Every kind ({items.Count})")) };
        foreach (var kind in new[] { LabelKind.ProbablyWrong, LabelKind.Ambiguous, LabelKind.None })
        {
            var count = items.Count(i => i.Sample.Label.Kind == kind);
            if (count > 0 || kind == selected)
            {
                var label = kind.Label();
                choices.Add(new ReviewKindChoice(label, string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(label[0])}{label[1..]} ({count})")));
            }
        }
        return choices;
    }

    /// <summary>The kind a choice's value stands for; null for <see cref="AnyKind"/>.</summary>
    /// <exception cref="Analysis.InputException">A value that names no kind.</exception>
    public static LabelKind? KindOf(string value) => value == AnyKind ? null : LabelKinds.Parse(value, "review kind filter");

    /// <summary>The choice value of a kind; <see cref="AnyKind"/> for null.</summary>
    public static string ValueOf(LabelKind? kind) => kind?.Label() ?? AnyKind;

    /// <summary>Puts a new decision on its item.</summary>
    public void Record(ReviewDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var index = _items.FindIndex(i => i.Sample.SampleIndex == decision.SampleIndex);
        if (index >= 0)
        {
            _items[index] = _items[index] with { Decision = decision };
        }
    }
}
