using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Dashboard.Components.Charts;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>
/// Edit a sample's question, context or gold and run the run's reader on it (<see cref="WhatIfReader"/>): the new answer
/// beside the stored one, the word diff of the edit, the n-best list and the start/end probabilities over the context tokens,
/// and on demand the edit's attribution heatmap (<see cref="WhatIfReader.Attribute"/>, the sample page's default settings); Save keeps the edit as a variant of the run (<see cref="WhatIfVariantStore"/>).
/// </summary>
public sealed partial class WhatIfPanel : IDisposable
{
    public const int NBestShown = 5;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();
    private IList<ITrace> _plotData = [];
    private Plotly.Blazor.Layout _plotLayout = new();
    private RunSample? _loaded;

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private WhatIfReader Reader { get; set; } = default!;
    [Inject] private WhatIfVariantStore Store { get; set; } = default!;

    [Parameter, EditorRequired] public long RunId { get; set; }
    [Parameter, EditorRequired] public RunSample Sample { get; set; } = default!;

    private string Question { get; set; } = "";
    private string Context { get; set; } = "";
    private string? GoldText { get; set; }
    private int? GoldStart { get; set; }
    private bool Running { get; set; }
    private string? Error { get; set; }

    /// <summary>The edit <see cref="Result"/> answers.</summary>
    private WhatIfEdit? Ran { get; set; }
    private WhatIfResult? Result { get; set; }
    private IReadOnlyList<WhatIfVariant> Variants { get; set; } = [];

    /// <summary>The attribution of <see cref="Ran"/>, with the sample page's default settings (integrated gradients of the loss,
    /// the adaptive rule up to its default maximum of intervals).</summary>
    private WhatIfAttribution? Attribution { get; set; }
    private bool Attributing { get; set; }
    private string? AttributionError { get; set; }

    private static readonly SampleAttributionRequest AttributionRequest = new(
        AttributionMethod.IntegratedGradients, AttributionTarget.Loss, AdaptivePathQuadrature.DefaultMaxIntervals, IntegrationRule.Adaptive);

    private bool PredictionChanged => Result is not null && Result.Prediction != Sample.Prediction;

    private IEnumerable<(string Label, string TestId, IReadOnlyList<DiffPiece> Diff)> Diffs => Ran is null
        ? []
        : [("Question (edit marked)", "whatif-question-diff", WordDiff.Of(Sample.Question, Ran.Question)),
           ("Context (edit marked)", "whatif-context-diff", WordDiff.Of(Sample.Context, Ran.Context))];

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_loaded, Sample))
        {
            _loaded = Sample;
            Reset();
            Variants = Store.List(RunId, Sample.SampleIndex);
        }
    }

    private void Reset()
    {
        Question = Sample.Question;
        Context = Sample.Context;
        var gold = Sample.GoldAnswers.Count > 0 ? Sample.GoldAnswers[0] : null;
        (GoldText, GoldStart) = (gold?.Text, gold?.Start);
        (Result, Ran, Error) = (null, null, null);
        (Attribution, AttributionError) = (null, null);
    }

    private async Task RunAsync()
    {
        if (Running)
        {
            return;
        }
        var run = Database.Runs.Find(RunId);
        if (run is null)
        {
            Error = $"Run {RunId} does not exist.";
            return;
        }
        var edit = new WhatIfEdit(Question ?? "", Context ?? "", WhatIfEdit.ResolveGold(Context ?? "", GoldText, GoldStart));
        (Running, Error) = (true, null);
        try
        {
            var result = await Task.Run(() => Reader.Run(run, edit, _disposed.Token), _disposed.Token);
            (Ran, Result, Attribution, AttributionError) = (edit, result, null, null);
            if (edit.Gold is null && !string.IsNullOrWhiteSpace(GoldText))
            {
                Error = $"The gold answer “{GoldText}” is not in the edited context, so the edit is scored against no gold.";
            }
            BuildPlot(result);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missing or changed model, bad input or ONNX Runtime: a message, not a broken circuit.
            Error = "The reader could not run: " + e.Message;
        }
        finally
        {
            Running = false;
        }
    }

    private async Task AttributeAsync()
    {
        if (Attributing || Running || Ran is null || Result is null)
        {
            return;
        }
        var run = Database.Runs.Find(RunId);
        if (run is null)
        {
            AttributionError = $"Run {RunId} does not exist.";
            return;
        }
        var (edit, prediction) = (Ran, Result.Span);
        (Attributing, AttributionError) = (true, null);
        try
        {
            var attribution = await Task.Run(() => Reader.Attribute(run, edit, AttributionRequest, prediction, _disposed.Token), _disposed.Token);
            if (ReferenceEquals(edit, Ran))
            {
                Attribution = attribution;
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As on the sample page: a failed attribution is a message, not a broken circuit.
            AttributionError = "The attribution failed: " + e.Message;
        }
        finally
        {
            Attributing = false;
        }
    }

    /// <summary>The completeness line of the sample page's heatmap, for the edit.</summary>
    private string CompletenessText => Attribution?.Attribution.Completeness is { } c
        ? string.Create(Culture, $"Completeness: Σ attributions {c.AttributionSum:0.0000} vs f(x) − f(baseline) {c.InputValue - c.BaselineValue:0.0000}; relative error {Attribution.CompletenessError:0.00%}")
        : "Gradient × input: no completeness check (one-point estimate).";

    private string AttributionCaption => Attribution is null ? "" : string.Create(Culture,
        $"integrated gradients, target loss = {Attribution.Attribution.TargetValue:0.0000}, window {Attribution.Attribution.Key.WindowIndex} of {Attribution.WindowCount}{(Attribution.LossOnCls ? " (no gold in a window: loss on [CLS])" : "")}, {Attribution.Attribution.Key.Steps} steps (adaptive) · {Millis(Attribution.Elapsed)} ms");

    private void Save()
    {
        if (Result is null || Ran is null)
        {
            return;
        }
        try
        {
            Store.Save(RunId, Sample.SampleIndex, Ran, Result);
            Variants = Store.List(RunId, Sample.SampleIndex);
        }
        catch (InputException e)
        {
            Error = e.Message;
        }
    }

    private void BuildPlot(WhatIfResult result)
    {
        var x = result.Tokens.Select(t => (object)t.Index).ToList();
        var text = result.Tokens.Select(t => PlotlyText.Escape(t.Text)).ToList();
        _plotData =
        [
            new Scatter { Name = "start", X = x, Y = [.. result.Tokens.Select(t => (object)t.StartProbability)], TextArray = text, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines },
            new Scatter { Name = "end", X = x, Y = [.. result.Tokens.Select(t => (object)t.EndProbability)], TextArray = text, Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines },
        ];
        _plotLayout = ChartDefaults.CategoryLayout(null, 220, "context token", "probability", categoriesOnY: false);
        _plotLayout.XAxis[0].Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear;
    }

    private static string Shown(string prediction) => prediction.Length == 0 ? "(no answer)" : prediction;

    private static string Number(double value) => value.ToString("0.000", Culture);

    private static string Millis(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0", Culture);

    private static string Scores(bool? exact, double? f1) =>
        exact is { } e && f1 is { } f ? $" · EM {(e ? 1 : 0)} · F1 {Number(f)}" : " · no gold";

    private static string DiffClass(DiffKind kind) => kind switch
    {
        DiffKind.Added => "diff-added",
        DiffKind.Removed => "diff-removed",
        _ => "",
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
