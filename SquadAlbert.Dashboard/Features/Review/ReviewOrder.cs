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

/// <summary>
/// A run's samples in review order: by label-error score, highest first, once the latent analysis scored the run; by loss,
/// highest first, until then. Ties and unscored samples go by sample index. Decisions update the queue in place.
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

    /// <summary>The items shown: all, or only those without a decision.</summary>
    public IReadOnlyList<ReviewItem> Visible(bool undecidedOnly) => undecidedOnly ? [.. _items.Where(i => i.Decision is null)] : _items;

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
