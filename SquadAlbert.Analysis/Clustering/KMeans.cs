using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>How k-means measures the distance between a sample and a centroid.</summary>
public enum ClusteringMetric
{
    /// <summary>Squared Euclidean distance on the rows as given.</summary>
    Euclidean,

    /// <summary>
    /// Spherical k-means: rows and centroids are scaled to unit length, so the squared distance is 2 − 2·cos.
    /// Zero rows (no direction) are at distance 1 from every centroid.
    /// </summary>
    Cosine,
}

/// <summary>Settings of <see cref="KMeans.Fit(RowMatrix, KMeansOptions?)"/>.</summary>
public sealed record KMeansOptions
{
    /// <summary>k, the number of clusters (the product default is 20).</summary>
    public int ClusterCount { get; init; } = 20;

    /// <summary>Independent k-means++ seedings; the run with the lowest inertia wins.</summary>
    public int Restarts { get; init; } = 4;

    /// <summary>Upper bound on Lloyd iterations per restart.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// A restart has converged when the summed squared centroid movement of one iteration is at most this
    /// fraction of the data's mean per-column variance (the scale-free criterion scikit-learn uses).
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Euclidean or cosine (spherical) k-means.</summary>
    public ClusteringMetric Metric { get; init; } = ClusteringMetric.Euclidean;

    /// <summary>Seed of the k-means++ sampling: the same seed, data and options give the same result.</summary>
    public int Seed { get; init; }
}

/// <summary>The best restart of a k-means fit.</summary>
/// <param name="Labels">Cluster of each row, 0..k−1.</param>
/// <param name="Centroids">k × d row-major centroids (unit length for the cosine metric, unless a cluster holds only zero rows).</param>
/// <param name="ClusterCount">k.</param>
/// <param name="Dimension">d.</param>
/// <param name="Inertia">Σ squared distance of each row to its centroid (for cosine: Σ 2 − 2·cos over unit rows).</param>
/// <param name="Iterations">Lloyd iterations the best restart ran.</param>
/// <param name="Converged">Whether it stopped on the tolerance rather than on MaxIterations.</param>
public sealed record KMeansResult(int[] Labels, float[] Centroids, int ClusterCount, int Dimension, double Inertia, int Iterations, bool Converged);

/// <summary>
/// k-means with greedy k-means++ seeding (Arthur &amp; Vassilvitskii 2007; each new centre is the best of
/// 2 + ⌊ln k⌋ D²-sampled candidates) and Lloyd iterations. Cost per iteration O(n·k·d), parallel over rows;
/// results depend only on the data and options, not on the number of cores (partial sums are combined in a fixed
/// order).
/// </summary>
public static class KMeans
{
    private const int Chunks = 64; // fixed, so that floating-point sums do not depend on the core count

    /// <summary>Clusters the rows of <paramref name="data"/> (count × dimension, row-major).</summary>
    public static KMeansResult Fit(float[] data, int count, int dimension, KMeansOptions? options = null) =>
        Fit(new RowMatrix(data, count, dimension, nameof(data)), options);

    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    public static KMeansResult Fit(RowMatrix data, KMeansOptions? options = null)
    {
        options ??= new KMeansOptions();
        var count = data.Rows;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (options.ClusterCount < 1 || options.ClusterCount > count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ClusterCount, $"ClusterCount must be in 1..{count} (the number of rows)");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Restarts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxIterations);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance);

        var rows = options.Metric == ClusteringMetric.Cosine ? VectorMath.NormalizedRows(data) : data;
        var problem = new Problem(rows, options);
        KMeansResult? best = null;
        for (var restart = 0; restart < options.Restarts; restart++)
        {
            var random = new Random(unchecked((options.Seed * 1_000_003) + restart));
            var result = problem.Lloyd(problem.SeedPlusPlus(random));
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }
        return best!;
    }

    private sealed class Problem(RowMatrix rows, KMeansOptions options)
    {
        private readonly int _k = options.ClusterCount;
        private readonly int n = rows.Rows;
        private readonly int d = rows.Columns;

        private ReadOnlySpan<float> RowOf(int i) => rows.Row(i);

        /// <summary>Greedy k-means++: D²-weighted candidates, keeping the one that lowers the potential most.</summary>
        public float[] SeedPlusPlus(Random random)
        {
            var centroids = new float[_k * d];
            var first = random.Next(n);
            RowOf(first).CopyTo(centroids);
            var closest = new float[n];
            var potential = ChunkedSum(n, (start, end) =>
            {
                double sum = 0;
                for (var i = start; i < end; i++)
                {
                    closest[i] = VectorMath.SquaredEuclidean(RowOf(i), RowOf(first));
                    sum += closest[i];
                }
                return sum;
            });
            var trials = 2 + (int)Math.Log(_k);
            var candidateDistances = new float[n];
            var bestDistances = new float[n];
            for (var c = 1; c < _k; c++)
            {
                var bestCandidate = -1;
                var bestPotential = double.PositiveInfinity;
                for (var t = 0; t < trials; t++)
                {
                    var candidate = SampleProportional(closest, potential, random);
                    var candidatePotential = ChunkedSum(n, (start, end) =>
                    {
                        double sum = 0;
                        for (var i = start; i < end; i++)
                        {
                            candidateDistances[i] = Math.Min(closest[i], VectorMath.SquaredEuclidean(RowOf(i), RowOf(candidate)));
                            sum += candidateDistances[i];
                        }
                        return sum;
                    });
                    if (candidatePotential < bestPotential)
                    {
                        bestPotential = candidatePotential;
                        bestCandidate = candidate;
                        candidateDistances.CopyTo(bestDistances, 0);
                    }
                }
                RowOf(bestCandidate).CopyTo(centroids.AsSpan(c * d, d));
                bestDistances.CopyTo(closest, 0);
                potential = bestPotential;
            }
            return centroids;
        }

        /// <summary>A row drawn with probability proportional to its weight; uniform when all weights are 0 (all rows coincide with centres).</summary>
        private int SampleProportional(float[] weights, double total, Random random)
        {
            if (total <= 0)
            {
                return random.Next(n);
            }
            var target = random.NextDouble() * total;
            double cumulative = 0;
            for (var i = 0; i < n; i++)
            {
                cumulative += weights[i];
                if (cumulative > target)
                {
                    return i;
                }
            }
            // Rounding left the target just above the last partial sum: take the last row with weight.
            return Array.FindLastIndex(weights, w => w > 0);
        }

        public KMeansResult Lloyd(float[] centroids)
        {
            var labels = new int[n];
            var distances = new float[n];
            var tolerance = options.Tolerance * MeanColumnVariance();
            var iterations = 0;
            var converged = false;
            while (iterations < options.MaxIterations && !converged)
            {
                Assign(centroids, labels, distances);
                var updated = Update(labels, distances);
                double shift = 0;
                for (var i = 0; i < centroids.Length; i++)
                {
                    var delta = (double)updated[i] - centroids[i];
                    shift += delta * delta;
                }
                centroids = updated;
                iterations++;
                converged = shift <= tolerance;
            }
            // Labels and inertia must describe the final centroids.
            var inertia = Assign(centroids, labels, distances);
            return new KMeansResult(labels, centroids, _k, d, inertia, iterations, converged);
        }

        /// <summary>Nearest centroid of every row (lowest index on ties); returns the inertia.</summary>
        private double Assign(float[] centroids, int[] labels, float[] distances) => ChunkedSum(n, (start, end) =>
        {
            double sum = 0;
            for (var i = start; i < end; i++)
            {
                var best = 0;
                var bestDistance = float.PositiveInfinity;
                for (var c = 0; c < _k; c++)
                {
                    var distance = VectorMath.SquaredEuclidean(RowOf(i), centroids.AsSpan(c * d, d));
                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = c;
                    }
                }
                labels[i] = best;
                distances[i] = bestDistance;
                sum += bestDistance;
            }
            return sum;
        });

        /// <summary>
        /// Cluster means. An empty cluster takes the row farthest from its own centroid among clusters with more
        /// than one row (so no other cluster is emptied), which also lowers the inertia most.
        /// </summary>
        private float[] Update(int[] labels, float[] distances)
        {
            var chunkSums = new double[Chunks][];
            var chunkCounts = new int[Chunks][];
            Parallel.For(0, Chunks, chunk =>
            {
                var (start, end) = ChunkBounds(chunk, n);
                var sums = chunkSums[chunk] = new double[_k * d];
                var counts = chunkCounts[chunk] = new int[_k];
                for (var i = start; i < end; i++)
                {
                    var row = RowOf(i);
                    var target = sums.AsSpan(labels[i] * d, d);
                    for (var j = 0; j < d; j++)
                    {
                        target[j] += row[j];
                    }
                    counts[labels[i]]++;
                }
            });
            var total = new double[_k * d];
            var sizes = new int[_k];
            for (var chunk = 0; chunk < Chunks; chunk++)
            {
                for (var i = 0; i < total.Length; i++)
                {
                    total[i] += chunkSums[chunk][i];
                }
                for (var c = 0; c < _k; c++)
                {
                    sizes[c] += chunkCounts[chunk][c];
                }
            }
            RelocateToEmptyClusters(labels, distances, total, sizes);
            var centroids = new float[_k * d];
            for (var c = 0; c < _k; c++)
            {
                var centroid = centroids.AsSpan(c * d, d);
                for (var j = 0; j < d; j++)
                {
                    centroid[j] = (float)(total[(c * d) + j] / sizes[c]);
                }
                if (options.Metric == ClusteringMetric.Cosine)
                {
                    VectorMath.NormalizeInPlace(centroid);
                }
            }
            return centroids;
        }

        private void RelocateToEmptyClusters(int[] labels, float[] distances, double[] sums, int[] sizes)
        {
            if (!sizes.Contains(0))
            {
                return;
            }
            // Farthest first; equal distances by row index, so the choice is deterministic.
            using var byDistance = Enumerable.Range(0, n).OrderByDescending(i => distances[i]).ThenBy(i => i).GetEnumerator();
            for (var empty = 0; empty < _k; empty++)
            {
                if (sizes[empty] != 0)
                {
                    continue;
                }
                // k ≤ n guarantees a cluster with two or more rows while any cluster is empty.
                while (byDistance.MoveNext())
                {
                    var row = byDistance.Current;
                    var from = labels[row];
                    if (sizes[from] < 2)
                    {
                        continue;
                    }
                    var values = RowOf(row);
                    for (var j = 0; j < d; j++)
                    {
                        sums[(from * d) + j] -= values[j];
                        sums[(empty * d) + j] = values[j];
                    }
                    sizes[from]--;
                    sizes[empty] = 1;
                    labels[row] = empty;
                    distances[row] = 0;
                    break;
                }
            }
        }

        private double MeanColumnVariance()
        {
            double total = 0;
            for (var j = 0; j < d; j++)
            {
                double sum = 0, squares = 0;
                for (var i = 0; i < n; i++)
                {
                    double x = rows.Values[(i * d) + j];
                    sum += x;
                    squares += x * x;
                }
                var mean = sum / n;
                total += Math.Max(0, (squares / n) - (mean * mean));
            }
            return total / d;
        }

        private static (int Start, int End) ChunkBounds(int chunk, int length) =>
            ((int)((long)chunk * length / Chunks), (int)((long)(chunk + 1) * length / Chunks));

        /// <summary>Runs <paramref name="body"/> over fixed row chunks in parallel and adds the partial sums in chunk order.</summary>
        private static double ChunkedSum(int length, Func<int, int, double> body)
        {
            var partial = new double[Chunks];
            Parallel.For(0, Chunks, chunk =>
            {
                var (start, end) = ChunkBounds(chunk, length);
                partial[chunk] = body(start, end);
            });
            return partial.Sum();
        }
    }
}
