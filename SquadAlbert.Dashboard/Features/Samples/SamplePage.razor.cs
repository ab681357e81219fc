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
    private CancellationTokenSource? _computation;
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

    private AttributionMethod Method { get; set; } = AttributionMethod.IntegratedGradients;
    private AttributionTarget Target { get; set; } = AttributionTarget.Loss;
    /// <summary>Adaptive by default: as few steps as keep the relative completeness error under 1 % (issue 16).</summary>
    private IntegrationRule Rule { get; set; } = IntegrationRule.Adaptive;
    private int Steps { get; set; } = AdaptivePathQuadrature.DefaultMaxIntervals;
    private SampleAttribution? Attribution { get; set; }
    private bool Computing => _computation is not null;
    private string? AttributionMessage { get; set; }

    private string Note { get; set; } = "";
    private string? DecisionError { get; set; }

    private static readonly (AttributionMethod Method, string Label)[] Methods =
        [(AttributionMethod.IntegratedGradients, "Integrated gradients"), (AttributionMethod.GradientTimesInput, "Gradient × input")];

    private static readonly (AttributionTarget Target, string Label)[] Targets =
        [(AttributionTarget.Loss, "Loss"), (AttributionTarget.StartLogit, "Start logit"), (AttributionTarget.EndLogit, "End logit")];

    private static readonly (IntegrationRule Rule, string Label)[] Rules =
        [(IntegrationRule.Adaptive, "Adaptive"), (IntegrationRule.GaussLegendre, "Gauss–Legendre")];

    private SampleAttributionRequest Request => new(Method, Target, Steps, Rule);

    protected override async Task OnParametersSetAsync()
    {
        CancelComputation();
        (Details, LoadError, Neighbours, NeighbourError, Attribution, AttributionMessage, DecisionError, ModelWarning) = (null, null, null, null, null, null, null, null);
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
        Attribution = Attributions.Find(RunId, SampleIndex, Request);
        var decision = Reviews.Find(RunId, SampleIndex);
        Note = decision?.Note ?? "";
        Details = SampleDetails.Build(sample, _modelFolder, Tokenizers, decision, Attribution?.Attribution, _nullThreshold);
        var (runId, index, token) = (RunId, SampleIndex, _disposed.Token);
        if (Attribution is null && ModelWarning is null)
        {
            // Load the model and its gradient graph while the user reads the page: a first heatmap then costs only its own computation.
            _ = PrepareAttributionAsync(runId, Target, token);
        }
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

    private async Task PrepareAttributionAsync(long runId, AttributionTarget target, CancellationToken token)
    {
        try
        {
            await Attributions.PrepareAsync(runId, target, token);
        }
        catch (OperationCanceledException)
        {
            // The page closed first.
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
            Details = SampleDetails.Build(Details.Sample, _modelFolder!, Tokenizers, decision, Attribution?.Attribution, _nullThreshold);
        }
    }

    private void SettingsChanged()
    {
        // A cached result for the new settings shows at once; otherwise the old map gives way to the Compute button.
        Attribution = Details is null ? null : Attributions.Find(RunId, SampleIndex, Request);
        AttributionMessage = null;
        Rebuild(Details?.Decision);
        if (Details is not null && Attribution is null && ModelWarning is null)
        {
            _ = PrepareAttributionAsync(RunId, Target, _disposed.Token);
        }
    }

    private void SetMethod(AttributionMethod method)
    {
        Method = method;
        SettingsChanged();
    }

    private void SetTarget(AttributionTarget target)
    {
        Target = target;
        SettingsChanged();
    }

    /// <summary>Each rule starts at its default steps: the adaptive maximum, or 16 Gauss–Legendre nodes.</summary>
    private void SetRule(IntegrationRule rule)
    {
        Rule = rule;
        Steps = rule == IntegrationRule.Adaptive ? AdaptivePathQuadrature.DefaultMaxIntervals : 16;
        SettingsChanged();
    }

    private void SetSteps(int steps)
    {
        Steps = Math.Clamp(steps, Rule == IntegrationRule.Adaptive ? AdaptivePathQuadrature.InitialIntervals : 1, 512);
        SettingsChanged();
    }

    private async Task ComputeAsync()
    {
        if (Details is null || Computing)
        {
            return;
        }
        var computation = _computation = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        AttributionMessage = null;
        var (runId, index, request) = (RunId, SampleIndex, Request);
        try
        {
            var result = await Attributions.GetOrComputeAsync(runId, index, request, computation.Token);
            if ((runId, index, request) == (RunId, SampleIndex, Request))
            {
                Attribution = result;
                Rebuild(Details.Decision);
            }
        }
        catch (OperationCanceledException) when (computation.IsCancellationRequested)
        {
            AttributionMessage = _disposed.IsCancellationRequested ? null : "Cancelled.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure of the computation (bad input, a missing model, ONNX Runtime) is a message, not a broken circuit.
            AttributionMessage = "The attribution failed: " + e.Message;
        }
        finally
        {
            if (ReferenceEquals(_computation, computation))
            {
                _computation = null;
            }
            computation.Dispose();
        }
    }

    private void CancelComputation() => _computation?.Cancel();

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

    /// <summary>", 24 steps (adaptive)" with the steps the rule used, ", 16 steps" for a fixed rule, nothing for gradient × input.</summary>
    private static string StepsText(AttributionKey key) => key.Steps <= 0 ? ""
        : key.Rule == IntegrationRule.Adaptive ? string.Create(Culture, $", {key.Steps} steps (adaptive)") : string.Create(Culture, $", {key.Steps} steps");

    private string CompletenessText => Attribution?.Attribution.Completeness is { } c
        ? string.Create(Culture, $"Completeness: Σ attributions {c.AttributionSum:0.0000} vs f(x) − f(baseline) {c.InputValue - c.BaselineValue:0.0000}; relative error {Attribution.CompletenessError:0.00%}")
        : "Gradient × input: no completeness check (one-point estimate).";

    private string AttributionCaption => Attribution is null ? "" : string.Create(Culture,
        $"{Methods.First(m => m.Method == Attribution.Attribution.Key.Method).Label}, target {Targets.First(t => t.Target == Attribution.Attribution.Key.Target).Label.ToLowerInvariant()} = {Attribution.Attribution.TargetValue:0.0000}, window {Attribution.Attribution.Key.WindowIndex}{StepsText(Attribution.Attribution.Key)} · {(Attribution.FromCache ? "cached" : "computed")} {StoredTime.ToText(Attribution.CreatedAt)}");

    private static string Number(double value) => value.ToString("0.000", Culture);

    public async ValueTask DisposeAsync()
    {
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
