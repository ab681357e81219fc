namespace SquadAlbert.Analysis.Clustering;

/// <summary>
/// Agreement between two labelings of the same samples, invariant to renaming the labels. Every distinct label
/// value is a cluster of its own, including HDBSCAN's −1 noise label (filter noise out first if it should not
/// count as a cluster).
/// </summary>
public static class ClusteringAgreement
{
    /// <summary>
    /// Adjusted Rand index (Hubert &amp; Arabie 1985): the Rand index corrected for chance, 1 for identical
    /// partitions, about 0 for independent ones, negative for worse than chance. When both labelings put every
    /// sample in one cluster, or both put every sample in its own cluster, the partitions are identical and the
    /// index is 1 (the chance-corrected formula would be 0 / 0).
    /// </summary>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var table = Contingency.Of(a, b);
        var pairsTogetherInBoth = table.Cells.Sum(PairCount);
        var pairsTogetherInA = table.RowSums.Sum(PairCount);
        var pairsTogetherInB = table.ColumnSums.Sum(PairCount);
        var allPairs = PairCount(a.Count);
        var expected = allPairs == 0 ? 0 : pairsTogetherInA * pairsTogetherInB / allPairs;
        var maximum = (pairsTogetherInA + pairsTogetherInB) / 2;
        return maximum == expected ? 1.0 : (pairsTogetherInBoth - expected) / (maximum - expected);
    }

    /// <summary>
    /// Normalised mutual information with the arithmetic-mean normalisation, I(A;B) / ((H(A) + H(B)) / 2), in
    /// [0, 1]; 1 when both labelings are a single cluster (both entropies 0), 0 when only one is.
    /// </summary>
    public static double NormalizedMutualInformation(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var table = Contingency.Of(a, b);
        double n = a.Count;
        var entropyA = Entropy(table.RowSums, n);
        var entropyB = Entropy(table.ColumnSums, n);
        if (entropyA == 0 && entropyB == 0)
        {
            return 1.0;
        }
        var joint = Entropy(table.Cells, n);
        var mutualInformation = Math.Max(0, entropyA + entropyB - joint);
        return mutualInformation / ((entropyA + entropyB) / 2);
    }

    private static double PairCount(long size) => size * (size - 1) / 2.0;

    private static double Entropy(IEnumerable<long> counts, double n) =>
        -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));

    /// <summary>The non-zero cells of the contingency table and its margins.</summary>
    private sealed record Contingency(IReadOnlyCollection<long> Cells, IReadOnlyCollection<long> RowSums, IReadOnlyCollection<long> ColumnSums)
    {
        public static Contingency Of(IReadOnlyList<int> a, IReadOnlyList<int> b)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            if (a.Count != b.Count)
            {
                throw new ArgumentException($"labelings have different lengths: {a.Count} and {b.Count}", nameof(b));
            }
            if (a.Count == 0)
            {
                throw new ArgumentException("labelings are empty", nameof(a));
            }
            var cells = new Dictionary<(int, int), long>();
            var rows = new Dictionary<int, long>();
            var columns = new Dictionary<int, long>();
            for (var i = 0; i < a.Count; i++)
            {
                cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
                rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
                columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
            }
            return new Contingency(cells.Values, rows.Values, columns.Values);
        }
    }
}
