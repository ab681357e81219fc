using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Components.Charts;

namespace SquadAlbert.Dashboard.Features.Slices;

/// <summary>One line of the threshold panel's score table.</summary>
public sealed record ThresholdScoreRow(string Id, string Label, string Count, string Exact, string F1);

/// <summary>
/// The Slices page's SQuAD 2.0 panel: a no-answer threshold slider that re-scores the run (EM/F1, HasAns and NoAns) from
/// stored fields (<see cref="RunNoAnswerReport"/>), the run's own and the best threshold, and the precision–recall curve
/// of abstention with the current threshold marked.
/// </summary>
public sealed partial class NoAnswerPanel
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private PlotlyChart? _chart;
    private List<ITrace> _data = [];
    private Plotly.Blazor.Layout _layout = new();
    private RunNoAnswerReport? _shown;

    [Parameter, EditorRequired] public RunNoAnswerReport Report { get; set; } = default!;

    /// <summary>The threshold the figures are computed at.</summary>
    public double Threshold { get; private set; }

    /// <summary>The scores at <see cref="Threshold"/>.</summary>
    public ThresholdScores Scores { get; private set; } = default!;

    private double SliderStep => Math.Max(0.001, Math.Round((Report.SliderMax - Report.SliderMin) / 400, 3));

    private string RunThresholdText => Report.RunThreshold is { } t ? Number(t, "F3") : "not recorded";

    /// <summary>All, HasAns and NoAns rows of <see cref="Scores"/>.</summary>
    public IReadOnlyList<ThresholdScoreRow> Rows =>
    [
        new("all", "All", (Scores.HasAnsTotal + Scores.NoAnsTotal).ToString("N0", Culture), Number(Scores.Exact), Number(Scores.F1)),
        new("has-ans", "HasAns", Scores.HasAnsTotal.ToString("N0", Culture), Number(Scores.HasAnsExact), Number(Scores.HasAnsF1)),
        new("no-ans", "NoAns", Scores.NoAnsTotal.ToString("N0", Culture), Number(Scores.NoAnsExact), Number(Scores.NoAnsF1)),
    ];

    /// <summary>How many abstentions the threshold gives and their precision and recall.</summary>
    public string AbstentionText => string.Create(Culture,
        $"{Scores.Abstentions:N0} abstentions, {Scores.RightAbstentions:N0} on unanswerable questions: precision {Percent(Scores.AbstentionPrecision)}, recall {Percent(Scores.AbstentionRecall)}");

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_shown, Report))
        {
            _shown = Report;
            Threshold = Report.InitialThreshold;
            Scores = Report.At(Threshold);
            _data = Traces();
            _layout = ChartLayout();
        }
    }

    /// <summary>Re-scores the run at <paramref name="threshold"/> and moves the curve's marker.</summary>
    public async Task SetThreshold(double threshold)
    {
        Threshold = threshold;
        Scores = Report.At(threshold);
        // The marker trace is changed in place: the chart holds the same list, and React redraws it.
        var marker = Traces()[1];
        _data[1] = marker;
        if (_chart is not null)
        {
            await _chart.React();
        }
    }

    private Task UseRunThreshold() => Report.RunThreshold is { } t ? SetThreshold(t) : Task.CompletedTask;

    private Task UseBestThreshold() => SetThreshold(Report.BestThreshold);

    private List<ITrace> Traces()
    {
        var points = Report.PrecisionRecall;
        var curve = new Scatter
        {
            Name = "abstention PR",
            Mode = ModeFlag.Lines | ModeFlag.Markers,
            X = [.. points.Select(p => (object)p.Recall)],
            Y = [.. points.Select(p => (object)p.Precision)],
        };
        var current = new Scatter
        {
            Name = "current threshold",
            Mode = ModeFlag.Markers,
            Marker = new Marker { Size = 14, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.X },
            X = double.IsNaN(Scores.AbstentionRecall) || double.IsNaN(Scores.AbstentionPrecision) ? [] : [Scores.AbstentionRecall],
            Y = double.IsNaN(Scores.AbstentionRecall) || double.IsNaN(Scores.AbstentionPrecision) ? [] : [Scores.AbstentionPrecision],
        };
        return [curve, current];
    }

    private static Plotly.Blazor.Layout ChartLayout()
    {
        var layout = ChartDefaults.CategoryLayout("Abstention precision–recall", 360, null, null, categoriesOnY: false);
        layout.XAxis[0].Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear;
        layout.XAxis[0].Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "recall (unanswerable questions abstained on)" };
        layout.XAxis[0].Range = [0.0, 1.02];
        layout.YAxis[0].Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "precision (abstentions that are right)" };
        layout.YAxis[0].Range = [0.0, 1.02];
        layout.YAxis[0].AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.False;
        layout.XAxis[0].AutoRange = Plotly.Blazor.LayoutLib.XAxisLib.AutoRangeEnum.False;
        return layout;
    }

    private static string Number(double value, string format = "F2") => double.IsNaN(value) ? "–" : value.ToString(format, Culture);

    private static string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("P1", Culture);
}
