namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// How well a score ranks positives (here: planted label errors) above negatives; higher scores mean "more likely
/// positive". Every measure treats tied scores as one block, so the order of equal scores never changes a result.
/// </summary>
public static class RankingMetrics
{
    /// <summary>
    /// ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores above a random negative,
    /// a tie counting one half (tied scores get their average rank). NaN without positives or without negatives.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        var (positives, negatives) = Count(scores, isPositive);
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }
        double positiveRankSum = 0;
        foreach (var (from, to, blockPositives) in TieBlocks(scores, ascending: true, isPositive))
        {
            // Ranks are 1-based: the block holds ranks from + 1 … to, on average (from + 1 + to) / 2.
            positiveRankSum += blockPositives * ((from + 1 + to) / 2.0);
        }
        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision as scikit-learn's <c>average_precision_score</c>: Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score
    /// thresholds from the highest down, step-wise (no interpolation). NaN without positives.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        var (positives, _) = Count(scores, isPositive);
        if (positives == 0)
        {
            return double.NaN;
        }
        double sum = 0;
        var truePositives = 0;
        var previousRecall = 0.0;
        foreach (var (_, to, blockPositives) in TieBlocks(scores, ascending: false, isPositive))
        {
            truePositives += blockPositives;
            var recall = truePositives / (double)positives;
            var precision = truePositives / (double)to;
            sum += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return sum;
    }

    /// <summary>
    /// Positives among the <paramref name="k"/> highest scores, divided by k. Where the k-th place falls inside a block
    /// of tied scores, the block counts with its share of positives (the expected count over every order of the ties).
    /// </summary>
    public static double PrecisionAtK(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive, int k) =>
        k < 1 ? double.NaN : PositivesInTop(scores, isPositive, k) / k;

    /// <summary>Positives among the <paramref name="k"/> highest scores (ties as in <see cref="PrecisionAtK"/>) over all positives; NaN without positives.</summary>
    public static double RecallAtK(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive, int k)
    {
        var (positives, _) = Count(scores, isPositive);
        return positives == 0 || k < 1 ? double.NaN : PositivesInTop(scores, isPositive, k) / positives;
    }

    private static double PositivesInTop(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive, int k)
    {
        Count(scores, isPositive);
        double found = 0;
        foreach (var (from, to, blockPositives) in TieBlocks(scores, ascending: false, isPositive))
        {
            if (to <= k)
            {
                found += blockPositives;
                continue;
            }
            if (from < k)
            {
                found += blockPositives * (k - from) / (double)(to - from);
            }
            break;
        }
        return found;
    }

    private static (int Positives, int Negatives) Count(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isPositive);
        if (scores.Count != isPositive.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {isPositive.Count} labels.", nameof(isPositive));
        }
        if (scores.Any(double.IsNaN))
        {
            throw new ArgumentException("A score is NaN; a ranking needs every score.", nameof(scores));
        }
        var positives = isPositive.Count(p => p);
        return (positives, isPositive.Count - positives);
    }

    private static int[] Order(IReadOnlyList<double> scores, bool ascending)
    {
        var order = Enumerable.Range(0, scores.Count).ToArray();
        Array.Sort(order, (a, b) => ascending ? scores[a].CompareTo(scores[b]) : scores[b].CompareTo(scores[a]));
        return order;
    }

    /// <summary>The sorted positions [From, To) of each block of equal scores, with its positives.</summary>
    private static IEnumerable<(int From, int To, int Positives)> TieBlocks(IReadOnlyList<double> scores, bool ascending, IReadOnlyList<bool> isPositive)
    {
        var order = Order(scores, ascending);
        var from = 0;
        while (from < order.Length)
        {
            var to = from;
            var positives = 0;
            while (to < order.Length && scores[order[to]] == scores[order[from]])
            {
                positives += isPositive[order[to]] ? 1 : 0;
                to++;
            }
            yield return (from, to, positives);
            from = to;
        }
    }
}
