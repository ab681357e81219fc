using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Testing;

/// <summary>Seeded synthetic data for the projection tests and benchmarks: isotropic Gaussian blobs around random centres.</summary>
public static class GaussianClusters
{
    private const ulong Purpose = 0x626c6f62;

    /// <summary>
    /// Centres ~ N(0, centreSpread²) per coordinate; points ~ centre + N(0, σ_c²) per coordinate c, σ_c =
    /// <paramref name="noiseScales"/>[c] or 1 (isotropic); labels in point order.
    /// </summary>
    public static (RowMatrix Data, int[] Labels) Generate(int clusters, int pointsPerCluster, int dimensions, double centreSpread, int seed,
        double[]? noiseScales = null)
    {
        var random = RandomStreams.Stream(seed, Purpose);
        var centres = new double[clusters * dimensions];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = centreSpread * random.NextGaussian();
        }
        var n = clusters * pointsPerCluster;
        var values = new float[n * dimensions];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var cluster = i / pointsPerCluster;
            labels[i] = cluster;
            for (var c = 0; c < dimensions; c++)
            {
                values[(i * dimensions) + c] = (float)(centres[(cluster * dimensions) + c] + ((noiseScales?[c] ?? 1.0) * random.NextGaussian()));
            }
        }
        return (new RowMatrix(values, n, dimensions), labels);
    }
}
