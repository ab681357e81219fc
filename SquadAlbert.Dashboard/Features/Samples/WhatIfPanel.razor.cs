using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Dashboard.Components.Charts;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>
/// Edit a sample's question, context or gold and run the run's reader on it (<see cref="WhatIfReader"/>): the new answer
/// beside the stored one, the word diff of the edit, the n-best list and the start/end probabilities over the context tokens;
/// Save keeps the edit as a variant of the run (<see cref="WhatIfVariantStore"/>).
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
            (Ran, Result) = (edit, result);
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
