using System.Globalization;
using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Slices;

/// <summary>One slicing of a run for the page: a chart id, a heading and its rows.</summary>
public sealed record SliceSection(string Id, string Title, IReadOnlyList<SliceRow> Rows);

/// <summary>A run's EM, F1 and mean loss by title, question type, answer type, cluster, context length and prediction–gold
/// relation (with "quotation marks only" split out), and its loss histogram.</summary>
public sealed partial class SlicesPage : IDisposable
{
    /// <summary>Bars drawn per chart; the table below a chart lists every slice.</summary>
    public const int ChartedSlices = 20;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();

    [Inject] private RunDatabase Database { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    private RunSliceReport? Report { get; set; }

    /// <summary>The no-answer threshold panel's data; null for a v1.1 run.</summary>
    private RunNoAnswerReport? NoAnswer { get; set; }
    private IReadOnlyList<SliceSection> Sections { get; set; } = [];
    private string? Error { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        Report = null;
        NoAnswer = null;
        Error = null;
        try
        {
            var runId = RunId;
            var run = Database.Runs.Find(runId);
            Report = await Task.Run(() => RunSlices.Compute(Database.Connections, runId), _disposed.Token);
            NoAnswer = run is null ? null : await Task.Run(() => RunNoAnswerReport.Load(Database.Connections, run), _disposed.Token);
            Sections = SectionsOf(Report);
        }
        catch (InputException e)
        {
            Error = e.Message;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    public static IReadOnlyList<SliceSection> SectionsOf(RunSliceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sections = new List<SliceSection>
        {
            new("question-type", "Question type", report.ByQuestionType),
            new("answer-type", "Answer type", report.ByAnswerType),
            new("relation", "Prediction vs gold", report.ByRelation),
            new("context-length", "Context length (tokens)", report.ByContextLength),
            new("title", "Title", report.ByTitle),
        };
        if (report.HasClusters)
        {
            sections.Insert(4, new SliceSection("cluster", "k-means cluster", report.ByCluster));
        }
        return sections;
    }

    private static IReadOnlyList<string> Labels(SliceSection section) =>
        [.. section.Rows.Take(ChartedSlices).Select(r => r.Key.Replace('_', ' '))];

    private static IReadOnlyList<double> F1s(SliceSection section) => [.. section.Rows.Take(ChartedSlices).Select(r => r.F1)];

    private static IReadOnlyList<string> BinLabels(IReadOnlyList<HistogramBin> bins) =>
        [.. bins.Select(b => string.Create(Culture, $"{b.Lower:F2}–{b.Upper:F2}"))];

    private static string Number(double value, string format = "F2") => value.ToString(format, Culture);
}
