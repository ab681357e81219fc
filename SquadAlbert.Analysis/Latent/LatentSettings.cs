using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Analysis.Latent;

/// <summary>Settings of <see cref="LatentAnalyzer"/>; each stage records the ones it depends on.</summary>
public sealed record LatentSettings
{
    /// <summary>k of k-means (the product default 20); see <see cref="EffectiveClusterCount"/> for small runs.</summary>
    public int ClusterCount { get; init; } = 20;

    /// <summary>HDBSCAN's smallest cluster on the 2-D UMAP map; clamped to the run's size.</summary>
    public int MinClusterSize { get; init; } = 25;

    /// <summary>UMAP's n_neighbors (the point itself included).</summary>
    public int NeighbourCount { get; init; } = 15;

    public double MinDist { get; init; } = 0.1;

    /// <summary>Seed of UMAP, PCA, k-means and the trustworthiness subsample.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Single-threaded UMAP that gives the same map for the same seed on every run.</summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>k of the trustworthiness reported with each projection.</summary>
    public int TrustworthinessNeighbours { get; init; } = 10;

    /// <summary>Trustworthiness is O(n² log n): larger runs are evaluated on a seeded random subsample of this many points.</summary>
    public int TrustworthinessSampleSize { get; init; } = 2000;

    /// <summary>The learned label-error score's weights: the library's default, or a file of the user's own fit
    /// (<c>latent --label-weights FILE</c>). The label_scores stage records their SHA-256 and recomputes when they change.</summary>
    public LabelErrorWeights LabelWeights { get; init; } = LabelErrorWeights.Default;

    /// <summary>Recompute every stage even when it finished with the same settings.</summary>
    public bool Force { get; init; }

    /// <summary>Samples per k-means cluster at the least, so tiny runs get a few real clusters rather than singletons.</summary>
    public const int MinSamplesPerCluster = 5;

    /// <summary>min(<see cref="ClusterCount"/>, n / <see cref="MinSamplesPerCluster"/>), but at least 1 and never above n.</summary>
    public int EffectiveClusterCount(int sampleCount) =>
        Math.Min(sampleCount, Math.Max(1, Math.Min(ClusterCount, sampleCount / MinSamplesPerCluster)));

    /// <summary><see cref="MinClusterSize"/> clamped to [2, n].</summary>
    public int EffectiveMinClusterSize(int sampleCount) => Math.Max(2, Math.Min(MinClusterSize, sampleCount));

    public void Validate()
    {
        if (ClusterCount < 1)
        {
            throw new InputException($"The number of k-means clusters must be at least 1, got {ClusterCount}.");
        }
        if (MinClusterSize < 2)
        {
            throw new InputException($"The HDBSCAN minimum cluster size must be at least 2, got {MinClusterSize}.");
        }
        if (NeighbourCount < 2)
        {
            throw new InputException($"UMAP needs at least 2 neighbours, got {NeighbourCount}.");
        }
        if (TrustworthinessNeighbours < 1 || TrustworthinessSampleSize < 3)
        {
            throw new InputException("Trustworthiness needs k ≥ 1 and a sample of at least 3 points.");
        }
    }
}
