using System.Diagnostics;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// UMAP (McInnes, Healy &amp; Melville 2018) following umap-learn's stages: k-nearest-neighbour graph, smooth kNN
/// distances and fuzzy simplicial set, spectral initialisation, SGD layout with negative sampling.
/// </summary>
public static class UmapProjector
{
    /// <summary>Runs all stages; reports each stage and every epoch; throws <see cref="OperationCanceledException"/> on cancel.</summary>
    public static UmapResult Fit(RowMatrix data, UmapOptions? options = null, IProgress<UmapProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(data, options, progress, cancellationToken);
        var layout = prepared.Layout;
        var clock = Stopwatch.StartNew();
        while (!layout.IsComplete)
        {
            cancellationToken.ThrowIfCancellationRequested();
            layout.Step();
            progress?.Report(new UmapProgress(UmapStage.Layout, layout.Epoch, layout.TotalEpochs));
        }
        var durations = new Dictionary<UmapStage, TimeSpan>(prepared.StageDurations) { [UmapStage.Layout] = clock.Elapsed };
        progress?.Report(new UmapProgress(UmapStage.Done, layout.Epoch, layout.TotalEpochs));
        return new UmapResult(new RowMatrix(layout.Embedding, data.Rows, layout.Dimensions), prepared.Neighbours, prepared.Graph,
            prepared.Initialisation, prepared.A, prepared.B, durations);
    }

    /// <summary>
    /// Runs every stage up to the layout and returns the layout unstarted, for callers that step epochs themselves
    /// (<see cref="UmapLayout.Step"/>) to show intermediate embeddings.
    /// </summary>
    public static UmapPreparation Prepare(RowMatrix data, UmapOptions? options = null, IProgress<UmapProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new UmapOptions();
        Validate(data, options);
        var epochs = options.EpochsFor(data.Rows);
        var durations = new Dictionary<UmapStage, TimeSpan>();
        var clock = Stopwatch.StartNew();

        Enter(UmapStage.NearestNeighbours);
        var neighbours = KnnGraphBuilder.Build(data, Math.Min(options.NeighbourCount, data.Rows), options.Metric,
            options.ExactNeighbourThreshold, options.Seed, parallel: !options.Deterministic, options.NearestNeighbourDescent);
        Enter(UmapStage.FuzzySimplicialSet);
        var graph = FuzzySimplicialSet.Build(neighbours, options.SetOpMixRatio, options.LocalConnectivity);
        Enter(UmapStage.Initialisation);
        var (coordinates, kind) = SpectralInitialisation.Initialise(graph, data, options.Components, options.Seed);
        var (a, b) = UmapCurve.FitAb(options.Spread, options.MinDist);
        durations[UmapStage.Initialisation] = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new UmapProgress(UmapStage.Layout, 0, epochs));

        var layout = new UmapLayout(graph, coordinates, options.Components, new UmapLayoutOptions
        {
            A = a,
            B = b,
            Epochs = epochs,
            LearningRate = options.LearningRate,
            RepulsionStrength = options.RepulsionStrength,
            NegativeSampleRate = options.NegativeSampleRate,
            Seed = options.Seed,
            Parallel = !options.Deterministic,
        });
        return new UmapPreparation(layout, neighbours, graph, kind, a, b, durations);

        void Enter(UmapStage stage)
        {
            if (stage != UmapStage.NearestNeighbours)
            {
                durations[stage - 1] = clock.Elapsed;
                clock.Restart();
            }
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new UmapProgress(stage, 0, epochs));
        }
    }

    private static void Validate(RowMatrix data, UmapOptions options)
    {
        if (data.Rows < 2)
        {
            throw new ArgumentException($"UMAP needs at least 2 points, got {data.Rows}.", nameof(data));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NeighbourCount, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Components);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.NegativeSampleRate);
        var at = Array.FindIndex(data.Values, value => !float.IsFinite(value));
        if (at >= 0)
        {
            throw new ArgumentException($"Point {at / data.Columns}, coordinate {at % data.Columns} is {data.Values[at]}; UMAP needs finite values.",
                nameof(data));
        }
    }
}

/// <summary>Everything <see cref="UmapProjector.Prepare"/> computed, and the layout ready to step.</summary>
public sealed record UmapPreparation(
    UmapLayout Layout,
    KnnGraph Neighbours,
    SparseMatrix Graph,
    InitialisationKind Initialisation,
    double A,
    double B,
    IReadOnlyDictionary<UmapStage, TimeSpan> StageDurations);
