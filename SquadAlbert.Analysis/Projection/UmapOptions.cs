using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>UMAP settings; the defaults are umap-learn's.</summary>
public sealed record UmapOptions
{
    /// <summary>umap-learn's n_neighbors: the point itself included. Clamped to the point count.</summary>
    public int NeighbourCount { get; init; } = 15;

    public double MinDist { get; init; } = 0.1;

    public double Spread { get; init; } = 1.0;

    /// <summary>Output dimensions (n_components).</summary>
    public int Components { get; init; } = 2;

    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>Null: 500 for up to 10,000 points, else 200 (umap-learn).</summary>
    public int? Epochs { get; init; }

    public double LearningRate { get; init; } = 1.0;

    public double RepulsionStrength { get; init; } = 1.0;

    public int NegativeSampleRate { get; init; } = 5;

    public double SetOpMixRatio { get; init; } = 1.0;

    public double LocalConnectivity { get; init; } = 1.0;

    /// <summary>Up to this many points the neighbour graph is exact (brute force); above it, NN-descent.</summary>
    public int ExactNeighbourThreshold { get; init; } = 4096;

    public NearestNeighbourDescentOptions? NearestNeighbourDescent { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>
    /// True: every stage on one thread with seeded streams, so a seed always gives the same embedding. False: the
    /// neighbour search and the layout run in parallel (Hogwild SGD), faster but not bit-reproducible.
    /// </summary>
    public bool Deterministic { get; init; }

    public int EpochsFor(int pointCount) => Epochs ?? (pointCount <= 10_000 ? 500 : 200);
}

/// <summary>The stages of <see cref="UmapProjector.Fit"/>, in order.</summary>
public enum UmapStage
{
    NearestNeighbours,
    FuzzySimplicialSet,
    Initialisation,
    Layout,
    Done,
}

/// <summary>A progress report: the stage entered, and during <see cref="UmapStage.Layout"/> the epochs completed.</summary>
public readonly record struct UmapProgress(UmapStage Stage, int Epoch, int TotalEpochs);

/// <summary>A finished projection, with what the stages produced and how long each took.</summary>
public sealed record UmapResult(
    RowMatrix Embedding,
    KnnGraph Neighbours,
    SparseMatrix Graph,
    InitialisationKind Initialisation,
    double A,
    double B,
    IReadOnlyDictionary<UmapStage, TimeSpan> StageDurations);
