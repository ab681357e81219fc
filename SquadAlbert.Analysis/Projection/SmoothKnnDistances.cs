namespace SquadAlbert.Analysis.Projection;

/// <summary>Per-point ρ (distance to the local_connectivity-th nearest other point) and σ (the kernel bandwidth).</summary>
public sealed record SmoothKnnResult(float[] Sigmas, float[] Rhos);

/// <summary>
/// umap-learn's smooth_knn_dist: ρᵢ is the distance to the nearest neighbour (interpolated for a fractional
/// local connectivity), and σᵢ is found by bisection so that Σⱼ exp(−max(0, dᵢⱼ − ρᵢ)/σᵢ) = log2(k) · bandwidth,
/// the sum over the neighbours after the first (the point itself). σ is kept at least 1e-3 times the mean
/// neighbour distance so that points in dense clumps do not get a degenerate kernel.
/// </summary>
public static class SmoothKnnDistances
{
    /// <summary>umap-learn's SMOOTH_K_TOLERANCE.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>umap-learn's MIN_K_DIST_SCALE.</summary>
    public const double MinimumDistanceScale = 1e-3;

    private const int BisectionSteps = 64;

    public static SmoothKnnResult Compute(KnnGraph graph, double localConnectivity = 1.0, double bandwidth = 1.0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var k = graph.NeighbourCount;
        var target = Math.Log2(k) * bandwidth;
        var sigmas = new float[graph.PointCount];
        var rhos = new float[graph.PointCount];
        var meanOfAll = MeanFinite(graph.Distances);
        for (var point = 0; point < graph.PointCount; point++)
        {
            var distances = graph.DistancesOf(point);
            var rho = Rho(distances, localConnectivity);
            var lo = 0.0;
            var hi = double.PositiveInfinity;
            var mid = 1.0;
            for (var step = 0; step < BisectionSteps; step++)
            {
                var sum = 0.0;
                for (var j = 1; j < k; j++)
                {
                    var d = distances[j] - rho;
                    sum += d > 0 ? Math.Exp(-(d / mid)) : 1.0;
                }
                if (Math.Abs(sum - target) < Tolerance)
                {
                    break;
                }
                if (sum > target)
                {
                    hi = mid;
                    mid = (lo + hi) / 2;
                }
                else
                {
                    lo = mid;
                    mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }
            var floor = MinimumDistanceScale * (rho > 0 ? MeanFinite(distances) : meanOfAll);
            sigmas[point] = (float)Math.Max(mid, floor);
            rhos[point] = (float)rho;
        }
        return new SmoothKnnResult(sigmas, rhos);
    }

    private static double Rho(ReadOnlySpan<float> distances, double localConnectivity)
    {
        var nonZero = new List<double>(distances.Length);
        foreach (var d in distances)
        {
            if (d > 0 && float.IsFinite(d))
            {
                nonZero.Add(d);
            }
        }
        if (nonZero.Count >= localConnectivity)
        {
            var index = (int)Math.Floor(localConnectivity);
            var interpolation = localConnectivity - index;
            if (index > 0)
            {
                var rho = nonZero[index - 1];
                if (interpolation > Tolerance)
                {
                    rho += interpolation * (nonZero[index] - nonZero[index - 1]);
                }
                return rho;
            }
            return interpolation * nonZero[0];
        }
        return nonZero.Count > 0 ? nonZero.Max() : 0.0;
    }

    private static double MeanFinite(ReadOnlySpan<float> values)
    {
        double sum = 0;
        var count = 0;
        foreach (var value in values)
        {
            if (float.IsFinite(value))
            {
                sum += value;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
