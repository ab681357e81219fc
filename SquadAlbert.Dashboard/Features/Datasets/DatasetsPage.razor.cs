using System.Globalization;
using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Dashboard.Features.Datasets;

/// <summary>
/// The dataset overview: counts, titles, lengths and the validation report of one SQuAD file.
/// The chosen file is part of the URL (<c>?file=</c>), so a view can be bookmarked and shared.
/// </summary>
public sealed partial class DatasetsPage : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();

    [Inject] private DatasetCatalog Catalog { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The file to show; defaults to dev-v1.1.json when present, else the first file.</summary>
    [SupplyParameterFromQuery(Name = "file")] public string? File { get; set; }

    private IReadOnlyList<string> Files { get; set; } = [];
    private SquadDataDirectory DataFolder { get; set; } = default!;
    private string? SelectedFile { get; set; }
    private DatasetView? View { get; set; }
    private string? Error { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        DataFolder = Catalog.DataDirectory;
        Files = Catalog.ListFiles();
        var wanted = File is not null && Files.Contains(File) ? File : (Files.Count > 0 ? Files[0] : null);
        if (wanted is null || (wanted == SelectedFile && (View is not null || Error is not null)))
        {
            return;
        }
        SelectedFile = wanted;
        View = null;
        Error = File is not null && File != wanted ? $"'{File}' is not in the data folder; showing {wanted}." : null;
        try
        {
            View = await Catalog.LoadAsync(wanted, _disposed.Token);
        }
        catch (InputException ex)
        {
            Error = ex.Message;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private Task SelectFileAsync(string file)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("file", file));
        return Task.CompletedTask;
    }

    private static IEnumerable<(string Label, string Value)> Headline(DatasetView view)
    {
        var s = view.Statistics;
        yield return ("Articles", s.Articles.ToString("N0", Culture));
        yield return ("Paragraphs", s.Paragraphs.ToString("N0", Culture));
        yield return ("Questions", s.Questions.ToString("N0", Culture));
        yield return ("Answers", s.Answers.ToString("N0", Culture));
        yield return ("Unanswerable", s.ImpossibleQuestions.ToString("N0", Culture));
        yield return ("Version", view.Dataset.Version ?? "none");
    }

    private static IEnumerable<(string Label, LengthSummary Length)> Lengths(DatasetStatistics statistics)
    {
        yield return ("Question", statistics.QuestionLength);
        yield return ("Context", statistics.ContextLength);
    }

    private static string WhereOf(SquadProblem problem)
    {
        var parts = new List<string>();
        if (problem.ArticleIndex is { } a) parts.Add($"article {a}");
        if (problem.ParagraphIndex is { } p) parts.Add($"paragraph {p}");
        if (problem.QuestionIndex is { } q) parts.Add($"question {q}");
        if (problem.QuestionId is { } id) parts.Add($"id {id}");
        return parts.Count == 0 ? "file" : string.Join(", ", parts);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
