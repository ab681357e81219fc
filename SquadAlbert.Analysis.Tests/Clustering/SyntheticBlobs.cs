namespace SquadAlbert.Analysis.Tests.Clustering;

/// <summary>Seeded synthetic data sets with known labels for the clustering tests.</summary>
internal static class SyntheticBlobs
{
    /// <summary>Row-major points and their true labels; −1 marks background noise.</summary>
    public sealed record Data(float[] Points, int[] Labels, int Dimension)
    {
        public int Count => Labels.Length;
    }

    /// <summary>
    /// Isotropic Gaussian blobs: blob b has <c>sizes[b]</c> points around a centre drawn uniformly in
    /// [−<paramref name="box"/>, <paramref name="box"/>]^d with standard deviation <c>spreads[b]</c>, followed by
    /// <paramref name="noise"/> points uniform in the box (label −1). Centres are redrawn until every pair is at
    /// least <paramref name="minCentreDistance"/> apart.
    /// </summary>
    public static Data Gaussian(int seed, int dimension, int[] sizes, double[] spreads, double box, double minCentreDistance, int noise = 0)
    {
        var random = new Random(seed);
        var centres = new List<double[]>();
        while (centres.Count < sizes.Length)
        {
            var centre = Enumerable.Range(0, dimension).Select(_ => Uniform(random, box)).ToArray();
            if (centres.All(c => Distance(c, centre) >= minCentreDistance))
            {
                centres.Add(centre);
            }
        }
        var points = new List<float>();
        var labels = new List<int>();
        for (var b = 0; b < sizes.Length; b++)
        {
            for (var i = 0; i < sizes[b]; i++)
            {
                points.AddRange(centres[b].Select(c => (float)(c + (spreads[b] * Normal(random)))));
                labels.Add(b);
            }
        }
        for (var i = 0; i < noise; i++)
        {
            points.AddRange(Enumerable.Range(0, dimension).Select(_ => (float)Uniform(random, box)));
            labels.Add(-1);
        }
        return new Data([.. points], [.. labels], dimension);
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Uniform(Random random, double box) => ((random.NextDouble() * 2) - 1) * box;

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
}
