using System.Globalization;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>A sample in the review queue with its latest decision.</summary>
public sealed record ReviewItem(RunSample Sample, ReviewDecision? Decision)
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
public sealed record ReviewFilter(bool UndecidedOnly = false, LabelKind? Kind = null);

/// <summary>A choice of the label-kind filter: its value in the select and its text, with the number of items it keeps.</summary>
public sealed record ReviewKindChoice(string Value, string Text);

/// <summary>
/// A run's samples in review order: by label-error score, highest first, once the latent analysis scored the run; by loss,
/// highest first, until then. Ties and unscored samples go by sample index. Decisions update the queue in place. A
/// <see cref="ReviewFilter"/> shows the undecided items, or those of one label kind ("probably wrong", "ambiguous").
/// </summary>
public sealed class ReviewOrder
{
    private readonly List<ReviewItem> _items;

    private ReviewOrder(List<ReviewItem> items, bool orderedByLabelScore)
    {
        _items = items;
        OrderedByLabelScore = orderedByLabelScore;
    }

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
        return new ReviewOrder([.. ordered.Select(s => new ReviewItem(s, bySample.GetValueOrDefault(s.SampleIndex)))], scored);
    }

    /// <summary>The value of the kind filter's "every kind" choice.</summary>
    public const string AnyKind = "any";

    /// <summary>The items <paramref name="filter"/> keeps, in queue order.</summary>
    public IReadOnlyList<ReviewItem> Visible(ReviewFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter is { UndecidedOnly: false, Kind: null }
            ? _items
            : [.. _items.Where(i => (!filter.UndecidedOnly || i.Decision is null) && (filter.Kind is null || i.Sample.Label.Kind == filter.Kind))];
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
