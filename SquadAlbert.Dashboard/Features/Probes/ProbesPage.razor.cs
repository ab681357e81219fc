using System.Globalization;
using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.WhatIf.Probes;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Probes;

/// <summary>A run's counterfactual probes: start them over a slice as a background job (<see cref="ProbeJobs"/>), see every stored
/// probe run's flip figures, one probe run's flipped samples (linked), and the map coloured by a probe's outcome.</summary>
public sealed partial class ProbesPage : IDisposable
{
    /// <summary>The form's default: a few hundred samples answer in about a minute with the default reader on two cores.</summary>
    public const int DefaultLimit = 200;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly (ProbeSliceKind Kind, string Label)[] SliceKinds =
    [
        (ProbeSliceKind.WholeRun, "Whole run"), (ProbeSliceKind.Title, "One title"), (ProbeSliceKind.Cluster, "One k-means cluster"),
        (ProbeSliceKind.HdbscanCluster, "One HDBSCAN cluster"), (ProbeSliceKind.QuestionType, "One question type"), (ProbeSliceKind.AnswerType, "One answer type"),
    ];

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private ProbeJobs Jobs { get; set; } = default!;

    [Parameter] public long RunId { get; set; }

    /// <summary>The probe run whose flipped samples are listed.</summary>
    [SupplyParameterFromQuery(Name = "probeRun")] public long? ProbeRun { get; set; }

    private HashSet<ProbeKind> Chosen { get; } = [.. ProbeKinds.All];
    private ProbeSliceKind SliceKind { get; set; } = ProbeSliceKind.WholeRun;
    private string? SliceValue { get; set; }
    private int? Limit { get; set; } = DefaultLimit;
    private int Seed { get; set; } = 1;
    private string? FormError { get; set; }

    private ProbeJobSnapshot? Job { get; set; }
    private IReadOnlyList<ProbeRunInfo> ProbeRuns { get; set; } = [];
    private ProbeRunInfo? Selected { get; set; }
    private IReadOnlyList<ProbeFlip> Flips { get; set; } = [];
    private string? Error { get; set; }

    private string SliceValueLabel => SliceKind switch
    {
        ProbeSliceKind.Title => "Title",
        ProbeSliceKind.Cluster or ProbeSliceKind.HdbscanCluster => "Cluster number",
        ProbeSliceKind.QuestionType => "Question type (e.g. when, how many)",
        _ => "Answer type (e.g. year, proper noun)",
    };

    protected override void OnInitialized()
    {
        Jobs.Changed += OnJobChanged;
        Job = Jobs.Current;
    }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    public void Dispose() => Jobs.Changed -= OnJobChanged;

    private async Task LoadAsync()
    {
        Error = null;
        try
        {
            var (runId, selected) = (RunId, ProbeRun);
            var store = new ProbeStore(Database.Connections);
            (ProbeRuns, Selected, Flips) = await Task.Run(() =>
            {
                var runs = store.List(runId);
                var chosen = runs.FirstOrDefault(r => r.Id == selected && r.IsFinished);
                return (runs, chosen, chosen is null ? [] : store.Flips(chosen.Id));
            });
        }
        catch (InputException e)
        {
            Error = e.Message;
        }
    }

    private void Toggle(ProbeKind kind, bool on)
    {
        if (on)
        {
            Chosen.Add(kind);
        }
        else
        {
            Chosen.Remove(kind);
        }
    }

    private async Task StartAsync()
    {
        FormError = null;
        try
        {
            var slice = new ProbeSlice(SliceKind, SliceKind == ProbeSliceKind.WholeRun ? null : SliceValue?.Trim(), Limit);
            slice.Validate();
            _ = Jobs.Start(new ProbeRequest(RunId, [.. ProbeKinds.All.Where(Chosen.Contains)], Seed, slice));
        }
        catch (InputException e)
        {
            FormError = e.Message;
        }
        catch (InvalidOperationException e)
        {
            FormError = e.Message;
        }
        Job = Jobs.Current;
        await Task.CompletedTask;
    }

    private void Cancel() => Jobs.Cancel();

    private void OnJobChanged() => _ = InvokeAsync(async () =>
    {
        var was = Job;
        Job = Jobs.Current;
        // The table changes when the job ends and when a probe finished (the next one started); not on every batch.
        var ended = was is { IsRunning: true } && Job is { IsRunning: false };
        var nextProbe = Job?.Progress is { } now && was?.Progress is { } before && now.ProbeNumber != before.ProbeNumber;
        if (ended || nextProbe)
        {
            await LoadAsync();
        }
        StateHasChanged();
    });

    private static string Count(int? value) => value is { } v ? v.ToString("N0", Culture) : "–";

    private static string Rate(double? rate) => rate is { } r ? r.ToString("P1", Culture) : "–";

    /// <summary>An F1 change in points: "+3.5", "−12.0".</summary>
    private static string Delta(double? change) => change is { } d ? (100 * d).ToString("+0.0;−0.0;0.0", Culture) : "–";

    private static string Answer(string text) => text.Length == 0 ? "(no answer)" : $"“{text}”";
}
