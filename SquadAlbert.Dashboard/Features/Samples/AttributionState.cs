using System.Globalization;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>
/// The heatmap of one run's sample as a page holds it: the settings (method, target, rule, steps), the attribution shown (from
/// <see cref="AttributionCache"/>, or computed on demand through it) and a computation in flight. The sample page has one,
/// the side-by-side view one per run; <see cref="AttributionPanel"/> draws its controls.
/// </summary>
public sealed class AttributionState(AttributionCache cache) : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private CancellationTokenSource? _computation;

    public static readonly (AttributionMethod Method, string Label)[] Methods =
        [(AttributionMethod.IntegratedGradients, "Integrated gradients"), (AttributionMethod.GradientTimesInput, "Gradient × input")];

    public static readonly (AttributionTarget Target, string Label)[] Targets =
        [(AttributionTarget.Loss, "Loss"), (AttributionTarget.StartLogit, "Start logit"), (AttributionTarget.EndLogit, "End logit")];

    public static readonly (IntegrationRule Rule, string Label)[] Rules =
        [(IntegrationRule.Adaptive, "Adaptive"), (IntegrationRule.GaussLegendre, "Gauss–Legendre")];

    public long RunId { get; private set; }

    public int SampleIndex { get; private set; } = -1;

    public AttributionMethod Method { get; private set; } = AttributionMethod.IntegratedGradients;

    public AttributionTarget Target { get; private set; } = AttributionTarget.Loss;

    /// <summary>Adaptive by default: as few steps as keep the relative completeness error under 1 % (issue 16).</summary>
    public IntegrationRule Rule { get; private set; } = IntegrationRule.Adaptive;

    public int Steps { get; private set; } = AdaptivePathQuadrature.DefaultMaxIntervals;

    /// <summary>The attribution for the current settings; null until computed (or found in the cache).</summary>
    public SampleAttribution? Attribution { get; private set; }

    public bool Computing => _computation is not null;

    /// <summary>Why nothing is shown after a compute: cancelled, or the computation's error.</summary>
    public string? Message { get; private set; }

    public SampleAttributionRequest Request => new(Method, Target, Steps, Rule);

    /// <summary>Switches to a sample (cancelling a computation of the previous one) and shows its cached attribution, if any.</summary>
    /// <param name="prepare">When nothing is cached, load the run's model and the target's gradient graph in the background
    /// (<see cref="AttributionCache.PrepareAsync"/>), again after each settings change that finds nothing cached, so a first
    /// heatmap costs only its own computation. The sample page passes true unless its model folder changed.</param>
    /// <param name="pageClosed">Stops waiting for a preparation when the page goes.</param>
    public void Load(long runId, int sampleIndex, bool prepare = false, CancellationToken pageClosed = default)
    {
        Cancel();
        (RunId, SampleIndex, Message, _prepare, _pageClosed) = (runId, sampleIndex, null, prepare, pageClosed);
        Attribution = cache.Find(runId, sampleIndex, Request);
        PrepareIfNeeded();
    }

    private bool _prepare;
    private CancellationToken _pageClosed;

    private void PrepareIfNeeded()
    {
        if (_prepare && Attribution is null && SampleIndex >= 0)
        {
            _ = PrepareAsync(RunId, Target, _pageClosed);
        }
    }

    private async Task PrepareAsync(long runId, AttributionTarget target, CancellationToken token)
    {
        try
        {
            await cache.PrepareAsync(runId, target, token);
        }
        catch (OperationCanceledException)
        {
            // The page closed first.
        }
    }

    public void SetMethod(AttributionMethod method)
    {
        Method = method;
        SettingsChanged();
    }

    public void SetTarget(AttributionTarget target)
    {
        Target = target;
        SettingsChanged();
    }

    /// <summary>Each rule starts at its default steps: the adaptive maximum, or 16 Gauss–Legendre nodes.</summary>
    public void SetRule(IntegrationRule rule)
    {
        Rule = rule;
        Steps = rule == IntegrationRule.Adaptive ? AdaptivePathQuadrature.DefaultMaxIntervals : 16;
        SettingsChanged();
    }

    public void SetSteps(int steps)
    {
        Steps = Math.Clamp(steps, Rule == IntegrationRule.Adaptive ? AdaptivePathQuadrature.InitialIntervals : 1, 512);
        SettingsChanged();
    }

    /// <summary>A cached result for the new settings shows at once; otherwise the old map gives way to the Compute button.</summary>
    private void SettingsChanged()
    {
        Attribution = SampleIndex < 0 ? null : cache.Find(RunId, SampleIndex, Request);
        Message = null;
        PrepareIfNeeded();
    }

    /// <summary>Computes (or reads) the attribution for the current settings; a failure or a cancel becomes <see cref="Message"/>.
    /// Returns whether the shown attribution changed.</summary>
    public async Task<bool> ComputeAsync(CancellationToken disposed)
    {
        if (SampleIndex < 0 || Computing)
        {
            return false;
        }
        var computation = _computation = CancellationTokenSource.CreateLinkedTokenSource(disposed);
        Message = null;
        var (runId, index, request) = (RunId, SampleIndex, Request);
        try
        {
            var result = await cache.GetOrComputeAsync(runId, index, request, computation.Token);
            if ((runId, index, request) != (RunId, SampleIndex, Request))
            {
                return false;
            }
            Attribution = result;
            return true;
        }
        catch (OperationCanceledException) when (computation.IsCancellationRequested)
        {
            Message = disposed.IsCancellationRequested ? null : "Cancelled.";
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure of the computation (bad input, a missing model, ONNX Runtime) is a message, not a broken circuit.
            Message = "The attribution failed: " + e.Message;
            return false;
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

    public void Cancel() => _computation?.Cancel();

    /// <summary>"Completeness: Σ attributions … vs f(x) − f(baseline) …; relative error …", or why there is no check.</summary>
    public string CompletenessText => Attribution?.Attribution.Completeness is { } c
        ? string.Create(Culture, $"Completeness: Σ attributions {c.AttributionSum:0.0000} vs f(x) − f(baseline) {c.InputValue - c.BaselineValue:0.0000}; relative error {Attribution.CompletenessError:0.00%}")
        : "Gradient × input: no completeness check (one-point estimate).";

    /// <summary>Method, target value, window, steps used and where the result came from.</summary>
    public string Caption => Attribution is null ? "" : string.Create(Culture,
        $"{Methods.First(m => m.Method == Attribution.Attribution.Key.Method).Label}, target {Targets.First(t => t.Target == Attribution.Attribution.Key.Target).Label.ToLowerInvariant()} = {Attribution.Attribution.TargetValue:0.0000}, window {Attribution.Attribution.Key.WindowIndex}{StepsText(Attribution.Attribution.Key)} · {(Attribution.FromCache ? "cached" : "computed")} {StoredTime.ToText(Attribution.CreatedAt)}");

    /// <summary>", 24 steps (adaptive)" with the steps the rule used, ", 16 steps" for a fixed rule, nothing for gradient × input.</summary>
    private static string StepsText(AttributionKey key) => key.Steps <= 0 ? ""
        : key.Rule == IntegrationRule.Adaptive ? string.Create(Culture, $", {key.Steps} steps (adaptive)") : string.Create(Culture, $", {key.Steps} steps");

    public void Dispose() => Cancel();
}
