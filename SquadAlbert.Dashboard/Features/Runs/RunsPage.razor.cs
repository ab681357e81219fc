using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Datasets;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// The start page: every run with its per-split figures, links to each run's pages, comparing two runs, and starting
/// (or resuming) a run with live progress. The run itself belongs to <see cref="RunJobs"/>, so leaving the page never
/// stops it and every open page shows the same progress.
/// </summary>
public sealed partial class RunsPage : IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private RunJobs Jobs { get; set; } = default!;
    [Inject] private DataDownloads Downloads { get; set; } = default!;
    [Inject] private ModelSetting Model { get; set; } = default!;
    [Inject] private DatasetCatalog Catalog { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<RunSummary> Runs { get; set; } = [];
    private HashSet<RunSummary> Selected { get; set; } = [];
    private FirstStartOffer Offer { get; set; } = FirstStartOffer.None;
    private RunLaunchForm Form { get; } = new();
    private IReadOnlyList<string> DataFiles { get; set; } = [];
    private string DataFolderPath { get; set; } = "";
    private string? ModelProblem { get; set; }
    private readonly Dictionary<string, string> _modelKinds = new(StringComparer.Ordinal);
    private string? LoadError { get; set; }
    private RunJobSnapshot? Job { get; set; }
    private DataDownloadSnapshot? Download { get; set; }
    private (RunJobStatus, long?, int)? _seenJobState;

    private bool IsJobRunning => Job is { IsRunning: true };

    private bool CanCompare => Selected.Count == 2;

    protected override void OnInitialized()
    {
        var model = Model.Resolve(out var problem);
        ModelProblem = problem;
        Form.ModelFolder = model?.Path ?? "";
        var folder = Catalog.DataDirectory;
        DataFolderPath = folder.Path;
        DataFiles = Catalog.ListFiles();
        Job = Jobs.Current;
        _seenJobState = StateOf(Job);
        Download = Downloads.Current;
        Reload();
        Jobs.Changed += OnJobChanged;
        Downloads.Changed += OnDownloadChanged;
    }

    public void Dispose()
    {
        Jobs.Changed -= OnJobChanged;
        Downloads.Changed -= OnDownloadChanged;
    }

    /// <summary>Called on the download's thread: hop onto the circuit; a finished download makes the first run possible.</summary>
    private void OnDownloadChanged() => _ = InvokeAsync(() =>
    {
        var wasRunning = Download is { IsRunning: true };
        Download = Downloads.Current;
        if (wasRunning && Download is { Status: DataDownloadStatus.Succeeded })
        {
            DataFiles = Catalog.ListFiles();
            Reload();
        }
        StateHasChanged();
    });

    private void DownloadMissingData()
    {
        if (Offer is { Download: { } file, DataFolder: { } folder })
        {
            try
            {
                _ = Downloads.Start(file, folder);
            }
            catch (InvalidOperationException e)
            {
                Snackbar.Add(e.Message, Severity.Warning);
            }
        }
    }

    private void Reload()
    {
        try
        {
            Runs = RunSummaries.Load(Database.Connections);
            LoadError = null;
        }
        catch (Exception e) when (e is InputException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            Runs = [];
            LoadError = $"Cannot read the run database {Database.Setting.Path}: {e.Message}";
        }
        Selected = [.. Runs.Where(r => Selected.Any(s => s.Run.Id == r.Run.Id))];
        var model = Model.Resolve(out var problem);
        Offer = LoadError is null ? FirstStartOffer.Evaluate(Runs.Count, model, problem, Catalog.DataDirectory) : FirstStartOffer.None;
    }

    private static (RunJobStatus, long?, int)? StateOf(RunJobSnapshot? job) => job is null ? null : (job.Status, job.RunId, job.StageNumber);

    /// <summary>Called on the job's thread: hop onto the circuit, reloading the list only when the job changed state (not on every batch).</summary>
    private void OnJobChanged() => _ = InvokeAsync(() =>
    {
        Job = Jobs.Current;
        var state = StateOf(Job);
        if (state != _seenJobState)
        {
            _seenJobState = state;
            Reload();
            if (Job is { Status: RunJobStatus.Failed, Message: { } message })
            {
                Snackbar.Add(message, Severity.Error);
            }
        }
        StateHasChanged();
    });

    private void Start(RunLaunch launch)
    {
        try
        {
            _ = Jobs.Start(launch);
        }
        catch (InvalidOperationException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    private void StartFromForm()
    {
        if (Form.ToLaunch(out var problem) is { } launch)
        {
            Start(launch);
        }
        else
        {
            Snackbar.Add(problem!, Severity.Warning);
        }
    }

    private void StartFirstRun() => Start(Offer.Launch());

    private void Cancel() => Jobs.Cancel();

    private void ResumeLast()
    {
        if (Jobs.LastLaunch is { } launch)
        {
            Start(launch with { Force = false });
        }
    }

    private void Resume(RunInfo run)
    {
        try
        {
            if (RunLaunch.ResumeOf(run) is { } launch)
            {
                Start(launch);
            }
        }
        catch (Exception e) when (e is InputException or System.Text.Json.JsonException)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    private static bool IsResumable(RunInfo run) => !run.IsFinished && run.Preset == PopulationPresets.DevPreset;

    private void Compare()
    {
        if (CanCompare)
        {
            var ids = Selected.Select(r => r.Run.Id).Order().ToList();
            Navigation.NavigateTo(RunRoutes.Compare(ids[0], ids[1]));
        }
    }

    private static string ModelName(RunInfo run) => Path.GetFileName(Path.TrimEndingDirectorySeparator(run.ModelPath));

    private string ModelKindOf(RunInfo run) => ModelKindOf(run.ModelPath);

    /// <summary>What the model folder in the form holds (BERT or ALBERT, sizes, tokenizer), or what is expected there.</summary>
    private string ModelKind => string.IsNullOrWhiteSpace(Form.ModelFolder)
        ? "config.json + model.safetensors (or pytorch_model.bin) with spiece.model (ALBERT) or vocab.txt (BERT), or model.onnx"
        : ModelKindOf(Form.ModelFolder.Trim());

    private string ModelKindOf(string folder) => _modelKinds.TryGetValue(folder, out var kind)
        ? kind
        : _modelKinds[folder] = Analysis.Model.ModelDescription.Describe(folder);

    /// <summary>The run's forward arithmetic as its settings record it: fp32 or int8.</summary>
    private static string PrecisionOf(RunInfo run)
    {
        try
        {
            return (System.Text.Json.JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)?.Precision ?? InferencePrecision.Fp32).Name();
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("F2", Culture) : "–";

    private static string Loss(double? value) => value is { } v ? v.ToString("F3", Culture) : "–";

    private static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Culture) : "–";

    /// <summary>"validation (10,570):", "EM 81.20 · F1 88.90", "loss 1.234": pieces that may wrap between, never inside.</summary>
    private static IEnumerable<string> SplitParts(SplitSummary split)
    {
        yield return string.Create(Culture, $"{split.Split} ({split.Samples:N0}):");
        yield return string.Create(Culture, $"EM {split.ExactMatch:F2} · F1 {split.F1:F2} ·");
        yield return string.Create(Culture, $"loss {split.MeanLoss:F3}");
    }

    private static string Samples(RunSummary summary) => summary.Run.IsFinished
        ? summary.Run.SampleCount.ToString("N0", Culture)
        : string.Create(Culture, $"{summary.SamplesStored:N0} of {summary.Run.SampleCount:N0}");
}
