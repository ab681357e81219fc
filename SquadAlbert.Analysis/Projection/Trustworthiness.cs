using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Trustworthiness of an embedding (Venna &amp; Kaski 2001), computed exactly as scikit-learn's
/// sklearn.manifold.trustworthiness: for every point, each of its k nearest neighbours in the embedding that is
/// not among its k nearest in the input costs (input-space rank − k); T = 1 − 2/(n·k·(2n − 3k − 1)) · Σ cost.
/// 1 means every embedded neighbourhood is a true one. Ranks are by Euclidean distance (or cosine in the input),
/// ties broken by index; O(n² log n), meant for evaluation sets of a few thousand points.
/// </summary>
public static class Trustworthiness
{
    public static double Compute(RowMatrix input, RowMatrix embedding, int neighbourCount = 10,
        DistanceMetric inputMetric = DistanceMetric.Euclidean)
    {
        var n = input.Rows;
        if (embedding.Rows != n)
        {
            throw new ArgumentException($"The embedding has {embedding.Rows} points, the input {n}.", nameof(embedding));
        }
        if (neighbourCount < 1 || neighbourCount >= n / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbourCount), neighbourCount, $"Need 1 <= k < n / 2 = {n / 2.0}.");
        }
        var inputPoints = PreparedPoints.From(input, inputMetric);
        var embeddedPoints = PreparedPoints.From(embedding, DistanceMetric.Euclidean);
        long penalty = 0;
        Parallel.For(0, n, () => (Ranks: new int[n], Keys: new float[n], Order: new int[n], Sum: 0L), (i, _, state) =>
        {
            var inputOrder = Ordering(inputPoints, i, state.Keys, state.Order);
            for (var rank = 0; rank < n - 1; rank++)
            {
                state.Ranks[inputOrder[rank]] = rank + 1;
            }
            var embeddedOrder = Ordering(embeddedPoints, i, state.Keys, state.Order);
            for (var j = 0; j < neighbourCount; j++)
            {
                var excess = state.Ranks[embeddedOrder[j]] - neighbourCount;
                if (excess > 0)
                {
                    state.Sum += excess;
                }
            }
            return state;
        }, state => Interlocked.Add(ref penalty, state.Sum));
        return 1.0 - (penalty * (2.0 / (n * (double)neighbourCount * ((2.0 * n) - (3.0 * neighbourCount) - 1.0))));
    }

    /// <summary>The other points by increasing distance from <paramref name="point"/> (ties by index); the point itself last.</summary>
    private static int[] Ordering(PreparedPoints points, int point, float[] keys, int[] order)
    {
        var row = points.Matrix.Row(point);
        for (var j = 0; j < points.Count; j++)
        {
            order[j] = j;
            keys[j] = j == point ? float.PositiveInfinity : points.Surrogate(row, points.Matrix.Row(j));
        }
        Array.Sort(keys, order);
        // Array.Sort is unstable: restore index order within runs of equal distance.
        var start = 0;
        for (var j = 1; j <= order.Length; j++)
        {
            if (j == order.Length || keys[j] != keys[start])
            {
                Array.Sort(order, start, j - start);
                start = j;
            }
        }
        return order;
    }
}
