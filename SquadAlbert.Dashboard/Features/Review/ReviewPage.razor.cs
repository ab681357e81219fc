using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>
/// The label review queue of a run: samples most likely mislabelled first, each with its question, gold, prediction and
/// context excerpt; accept / flag / fix with buttons or keys (A, W, Q, F; J/K move), each decision saved at once.
/// </summary>
public sealed partial class ReviewPage : IAsyncDisposable
{
    public const int PageSize = 20;

    /// <summary>The keys review.js forwards.</summary>
    public static readonly string[] ShortcutKeys = ["a", "w", "q", "f", "j", "k"];

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private IJSObjectReference? _module;
    private IJSObjectReference? _shortcuts;
    private DotNetObjectReference<ReviewPage>? _self;

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private RunSampleReader Samples { get; set; } = default!;
    [Inject] private ReviewStore Reviews { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    private ReviewOrder? Queue { get; set; }
    private string? LoadError { get; set; }
    private string? DecisionError { get; set; }
    private ReviewFilter Filter { get; set; } = new();
    private bool RemoveFlagged { get; set; }
    private int Current { get; set; }

    /// <summary>True once review.js listens for the keys (marked on the queue for tests and styles).</summary>
    private bool ShortcutsReady { get; set; }

    private IReadOnlyList<ReviewItem> Visible => Queue?.Visible(Filter) ?? [];

    private IReadOnlyList<ReviewKindChoice> KindChoices => Queue?.KindChoices(Filter.UndecidedOnly, Filter.Kind) ?? [];

    private string KindValue => ReviewOrder.ValueOf(Filter.Kind);

    private IReadOnlyList<ReviewKindChoice> AnswerabilityChoices => Queue?.AnswerabilityChoices(Filter.UndecidedOnly, Filter.Kind) ?? [];

    private string AnswerabilityValue => ReviewOrder.AnswerabilityValueOf(Filter.Answerability);

    /// <summary>The page of items around the current one.</summary>
    private IEnumerable<(ReviewItem Item, int Position)> PageItems =>
        Visible.Select((item, position) => (item, position)).Skip(Current / PageSize * PageSize).Take(PageSize);

    protected override void OnParametersSet()
    {
        (Queue, LoadError, DecisionError, Current) = (null, null, null, 0);
        if (Database.Runs.Find(RunId) is null)
        {
            LoadError = $"Run {RunId} does not exist.";
            return;
        }
        Queue = ReviewOrder.Load(Samples.All(RunId), Reviews.Decisions(RunId));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/review.js");
            _self = DotNetObjectReference.Create(this);
            _shortcuts = await _module.InvokeAsync<IJSObjectReference>("attachShortcuts", _self, ShortcutKeys);
            ShortcutsReady = true;
            StateHasChanged();
        }
    }

    [JSInvokable]
    public async Task OnShortcut(string key)
    {
        await InvokeAsync(() =>
        {
            switch (key)
            {
                case "a": Decide(Current, ReviewVerdict.Correct); break;
                case "w": Decide(Current, ReviewVerdict.Wrong); break;
                case "q": Decide(Current, ReviewVerdict.Ambiguous); break;
                case "f": Open(Current); break;
                case "j": Move(1); break;
                case "k": Move(-1); break;
                default: return;
            }
            StateHasChanged();
        });
        await RevealCurrentAsync();
    }

    private async Task RevealCurrentAsync()
    {
        if (_module is not null && Current < Visible.Count)
        {
            await _module.InvokeVoidAsync("reveal", ItemId(Visible[Current]));
        }
    }

    private void Move(int by) => Current = Math.Clamp(Current + by, 0, Math.Max(0, Visible.Count - 1));

    private void Select(int position) => Current = position;

    private void Open(int position)
    {
        if (position < Visible.Count)
        {
            Navigation.NavigateTo(RunRoutes.Sample(RunId, Visible[position].Sample.SampleIndex));
        }
    }

    private void Decide(int position, ReviewVerdict verdict)
    {
        if (Queue is null || position >= Visible.Count)
        {
            return;
        }
        var item = Visible[position];
        try
        {
            DecisionError = null;
            Queue.Record(Reviews.Decide(RunId, item.Sample.SampleIndex, verdict, item.Decision?.Note));
            // Undecided-only: the item leaves the list and the next one moves up; otherwise step to the next one.
            Current = Filter.UndecidedOnly ? Math.Min(position, Math.Max(0, Visible.Count - 1)) : Math.Min(position + 1, Visible.Count - 1);
        }
        catch (InputException e)
        {
            DecisionError = e.Message;
        }
    }

    private void SetUndecidedOnly(bool value)
    {
        Filter = Filter with { UndecidedOnly = value };
        Current = 0;
    }

    private void SetKind(string value)
    {
        Filter = Filter with { Kind = ReviewOrder.KindOf(value) };
        Current = 0;
    }

    private void SetAnswerability(string value)
    {
        Filter = Filter with { Answerability = ReviewOrder.AnswerabilityOf(value) };
        Current = 0;
    }

    /// <summary>The first gold in quotes, or "(unanswerable)" for a SQuAD 2.0 question without one.</summary>
    private static string GoldText(ReviewItem item) => item.FirstGold is { } gold ? $"“{gold.Text}”" : item.Sample.IsUnanswerable ? "(unanswerable)" : "“”";

    private static string ItemId(ReviewItem item) => "review-item-" + item.Sample.SampleIndex.ToString(Culture);

    private static string DecisionLabel(ReviewDecision? decision) => decision is null ? "undecided" : ReviewDecision.NameOf(decision.Verdict);

    private static Color DecisionColour(ReviewDecision? decision) => decision?.Verdict switch
    {
        ReviewVerdict.Correct => Color.Success,
        ReviewVerdict.Wrong => Color.Error,
        ReviewVerdict.Ambiguous => Color.Warning,
        ReviewVerdict.Fixed => Color.Primary,
        _ => Color.Default,
    };

    private static Color KindColour(LabelKind kind) => kind switch
    {
        LabelKind.ProbablyWrong => Color.Error,
        LabelKind.Ambiguous => Color.Warning,
        _ => Color.Default,
    };

    private static string ExcerptClass(ExcerptPiece piece) =>
        piece.IsOverlap ? "mark-overlap" : piece.InGold ? "mark-gold" : piece.InPrediction ? "mark-pred" : "";

    private static string Number(double? value) => value?.ToString("0.000", Culture) ?? "–";

    private static string ScoreLine(ReviewItem item)
    {
        var sample = item.Sample;
        var metrics = $"loss {Number(sample.Loss)} · F1 {Number(sample.F1)} · P(answer) {Number(sample.PredictionProbability)}";
        if (sample.IsUnanswerable)
        {
            // Scored by the answerability check (LabelErrorScorer.UnanswerableScore), not by the span components.
            var noAnswer = sample.NoAnswer!;
            return $"P(wrong label) {Number(sample.Label.ErrorScore)} (answerability check: P(no answer) {Number(noAnswer.NoAnswerProbability)} · " +
                   $"best span “{noAnswer.BestSpanText}”) · {metrics}";
        }
        return sample.Label is { ErrorScore: { } score, Components: { } c }
            ? $"P(wrong label) {Number(score)} (P(gold) {Number(c.GoldProbability)} · n-best on gold {Number(c.GoldSpanMass)} · " +
              $"gold rank {c.GoldNBestRank?.ToString(Culture) ?? "none"} · disjoint confidence {Number(c.DisjointConfidence)} · " +
              $"type mismatch {Number(c.AnswerTypeMismatch)} · gold disagreement {Number(c.GoldDisagreement)} · " +
              $"answer occurrences {c.AnswerOccurrences.ToString(Culture)}) · {metrics}"
            : metrics;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_shortcuts is not null)
            {
                await _shortcuts.InvokeVoidAsync("dispose");
                await _shortcuts.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the listener with its page.
        }
        _self?.Dispose();
    }
}
