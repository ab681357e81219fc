using System.Globalization;
using Microsoft.AspNetCore.Components;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// One question in two runs side by side (<c>/runs/compare/sample?a=&amp;b=&amp;q=</c>): each run's model, prediction, figures,
/// n-best list, tokens with a heatmap on demand and nearest neighbours in its own latent space, shared neighbours marked.
/// What it shows is built by <see cref="SideBySideView"/>; the heatmaps go through the sample page's <see cref="AttributionState"/>.
/// </summary>
public sealed partial class CompareSamplePage : IAsyncDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();
    private AttributionState? _heatmapA;
    private AttributionState? _heatmapB;

    [Inject] private RunDatabase Database { get; set; } = default!;
    [Inject] private AttributionCache Attributions { get; set; } = default!;
    [Inject] private RunNeighbourIndexes NeighbourIndexes { get; set; } = default!;
    [Inject] private RunTokenizers Tokenizers { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "a")] public long? RunA { get; set; }

    [SupplyParameterFromQuery(Name = "b")] public long? RunB { get; set; }

    [SupplyParameterFromQuery(Name = "q")] public string? QuestionId { get; set; }

    private SideBySideView? View { get; set; }
    private string? Error { get; set; }
    private NeighbourList? NeighboursA { get; set; }
    private NeighbourList? NeighboursB { get; set; }

    /// <summary>Question ids in both neighbour lists.</summary>
    private IReadOnlySet<string> Shared { get; set; } = new HashSet<string>();

    private AttributionState HeatmapA => _heatmapA ??= new AttributionState(Attributions);
    private AttributionState HeatmapB => _heatmapB ??= new AttributionState(Attributions);

    protected override async Task OnParametersSetAsync()
    {
        _heatmapA?.Cancel();
        _heatmapB?.Cancel();
        (View, Error, NeighboursA, NeighboursB, Shared) = (null, null, null, null, new HashSet<string>());
        if (RunA is not { } a || RunB is not { } b || string.IsNullOrWhiteSpace(QuestionId))
        {
            Error = "Choose two runs and a question: /runs/compare/sample?a=RUN&b=RUN&q=QUESTION_ID, or open a row of the Compare page.";
            return;
        }
        SamplePair pair;
        try
        {
            pair = SamplePair.Load(Database.Connections, a, b, QuestionId);
        }
        catch (InputException e)
        {
            Error = e.Message;
            return;
        }
        // No model is prepared in advance here (the sample page does that): two readers' gradient graphs would be loaded for
        // a heatmap the user may not ask for, and one side's load would hold up a Compute on the other.
        if (pair.A is { } sampleA)
        {
            HeatmapA.Load(a, sampleA.SampleIndex);
        }
        if (pair.B is { } sampleB)
        {
            HeatmapB.Load(b, sampleB.SampleIndex);
        }
        View = SideBySideView.Build(pair, Tokenizers, HeatmapA.Attribution?.Attribution, HeatmapB.Attribution?.Attribution);
        var token = _disposed.Token;
        // Loading a run's index reads all its embeddings: off the circuit's thread, both runs at once.
        var (neighboursA, neighboursB) = (Neighbours(a, pair.A, token), Neighbours(b, pair.B, token));
        var loaded = (await neighboursA, await neighboursB);
        if (ReferenceEquals(View?.Pair, pair))
        {
            (NeighboursA, NeighboursB) = loaded;
            Shared = SamplePair.SharedNeighbours(NeighboursA?.Items, NeighboursB?.Items);
        }
    }

    private async Task<NeighbourList?> Neighbours(long runId, RunSample? sample, CancellationToken token)
    {
        if (sample is null)
        {
            return null;
        }
        try
        {
            return await Task.Run(() => NeighbourList.Of(NeighbourIndexes.For(runId), sample.SampleIndex, SideBySideView.NeighbourCount), token);
        }
        catch (Exception e) when (e is InputException or InvalidOperationException)
        {
            return new NeighbourList([], e.Message);
        }
    }

    private AttributionState HeatmapOf(SampleSide side) => side.Label == "A" ? HeatmapA : HeatmapB;

    private NeighbourList? NeighboursOf(SampleSide side) => side.Label == "A" ? NeighboursA : NeighboursB;

    /// <summary>A heatmap's settings changed or its computation ended: rebuild that column's tokens with what it shows now.</summary>
    private void HeatmapChanged(string label)
    {
        if (View is not { } view)
        {
            return;
        }
        View = label == "A"
            ? view with { A = SampleSide.Build("A", view.Pair.RunA, view.Pair.A, Tokenizers, HeatmapA.Attribution?.Attribution) }
            : view with { B = SampleSide.Build("B", view.Pair.RunB, view.Pair.B, Tokenizers, HeatmapB.Attribution?.Attribution) };
    }

    private static string Number(double value) => value.ToString("0.000", Culture);

    public async ValueTask DisposeAsync()
    {
        _heatmapA?.Dispose();
        _heatmapB?.Dispose();
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }
}
