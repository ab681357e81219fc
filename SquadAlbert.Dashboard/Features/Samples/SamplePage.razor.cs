using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>
/// One sample of a run: its question and context as tokens with gold, prediction and attribution marks, its metrics, its
/// nearest neighbours, and its review decision (flag, fix the gold by selecting text, accept), saved at once.
/// </summary>
public sealed partial class SamplePage : IAsyncDisposable
{
    public const int NeighbourCount = 10;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();
    private IJSObjectReference? _module;
    private string? _modelFolder;
    private double? _nullThreshold;

    /// <summary>Which kind of model the run used (BERT or ALBERT, sizes, tokenizer).</summary>
    private string ModelKind { get; set; } = "";

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private RunSampleReader Samples { get; set; } = default!;
    [Inject] private ReviewStore Reviews { get; set; } = default!;
    [Inject] private AttributionCache Attributions { get; set; } = default!;
    [Inject] private RunNeighbourIndexes NeighbourIndexes { get; set; } = default!;
    [Inject] private RunTokenizers Tokenizers { get; set; } = default!;
    [Inject] private ModelFingerprintCache Fingerprints { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter] public long RunId { get; set; }
    [Parameter] public int SampleIndex { get; set; }

    private SampleDetails? Details { get; set; }
    private string? LoadError { get; set; }

    /// <summary>Set when the run's model folder no longer holds the analysed model: what is re-derived from it (tokens,
    /// attributions) would not match the stored results.</summary>
    private string? ModelWarning { get; set; }
    private IReadOnlyList<SampleNeighbour>? Neighbours { get; set; }
    private string? NeighbourError { get; set; }

    /// <summary>The heatmap's settings and result (<see cref="AttributionPanel"/> draws its controls).</summary>
    private AttributionState Heatmap => _heatmap ??= new AttributionState(Attributions);
    private AttributionState? _heatmap;

    private string Note { get; set; } = "";
    private string? DecisionError { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        Heatmap.Cancel();
        (Details, LoadError, Neighbours, NeighbourError, DecisionError, ModelWarning) = (null, null, null, null, null, null);
        var run = Database.Runs.Find(RunId);
        var sample = run is null ? null : Samples.Find(RunId, SampleIndex);
        if (run is null || sample is null)
        {
            LoadError = run is null ? $"Run {RunId} does not exist." : $"Run {RunId} has no sample {SampleIndex}.";
            return;
        }
        _modelFolder = run.ModelPath;
        _nullThreshold = RunNoAnswerReport.RunThresholdOf(run);
        // Hashing a folder reads every model file: off the circuit's thread, and once per folder version (the cache).
        ModelWarning = await Task.Run(() => RunModelCheck.Changed(run, Fingerprints), _disposed.Token);
        ModelKind = Analysis.Model.ModelDescription.Describe(_modelFolder);
        // Unless the folder changed (then nothing is computed from it), the model gets ready while the user reads the page.
        Heatmap.Load(RunId, SampleIndex, prepare: ModelWarning is null, _disposed.Token);
        var decision = Reviews.Find(RunId, SampleIndex);
        Note = decision?.Note ?? "";
        Details = SampleDetails.Build(sample, _modelFolder, Tokenizers, decision, Heatmap.Attribution?.Attribution, _nullThreshold);
        var (runId, index, token) = (RunId, SampleIndex, _disposed.Token);
        try
        {
            var neighbours = await Task.Run(() => NeighbourIndexes.For(runId).Nearest(index, NeighbourCount), token);
            if ((runId, index) == (RunId, SampleIndex))
            {
                Neighbours = neighbours;
            }
        }
        catch (Exception e) when (e is InputException or InvalidOperationException)
        {
            NeighbourError = e.Message;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/review.js");
        }
    }

    private void Rebuild(ReviewDecision? decision)
    {
        if (Details is not null)
        {
            Details = SampleDetails.Build(Details.Sample, _modelFolder!, Tokenizers, decision, Heatmap.Attribution?.Attribution, _nullThreshold);
        }
    }

    /// <summary>The heatmap's settings changed or a computation ended: redraw the tokens with what it shows now.</summary>
    private void HeatmapChanged() => Rebuild(Details?.Decision);

    private void Decide(ReviewVerdict verdict, FixedSpan? fix = null)
    {
        try
        {
            DecisionError = null;
            Rebuild(Reviews.Decide(RunId, SampleIndex, verdict, Note, fix));
        }
        catch (InputException e)
        {
            DecisionError = e.Message;
        }
    }

    private async Task FixFromSelectionAsync()
    {
        if (Details is null || _module is null)
        {
            return;
        }
        var selection = await _module.InvokeAsync<SelectionOffsets?>("selectionOffsets", "context-text");
        if (selection is null)
        {
            DecisionError = "Select the right answer in the context first (drag over its words), then press Fix gold.";
            return;
        }
        try
        {
            Decide(ReviewVerdict.Fixed, ReviewStore.SpanOfSelection(Details.Sample.Context, selection.Start, selection.End));
        }
        catch (InputException e)
        {
            DecisionError = e.Message;
        }
    }

    private static string DecisionText(ReviewDecision decision) => decision.Verdict switch
    {
        ReviewVerdict.Correct => "Gold is correct",
        ReviewVerdict.Wrong => "Flagged: gold is wrong",
        ReviewVerdict.Ambiguous => "Flagged: ambiguous",
        ReviewVerdict.Fixed => $"Fixed: gold is now “{decision.Fix!.Text}” at {decision.Fix.Start.ToString(Culture)}",
        _ => decision.Verdict.ToString(),
    } + $" · {StoredTime.ToText(decision.DecidedAt)}";

    private static string Number(double value) => value.ToString("0.000", Culture);

    public async ValueTask DisposeAsync()
    {
        _heatmap?.Dispose();
        await _disposed.CancelAsync();
        _disposed.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }

    /// <summary>What review.js's selectionOffsets returns.</summary>
    public sealed record SelectionOffsets(int Start, int End);
}
