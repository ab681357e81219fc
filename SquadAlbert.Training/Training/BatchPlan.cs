namespace SquadAlbert.Training.Training;

/// <summary>
/// The order in which training windows are visited: a pure function of (lengths, batch size, seed, epoch), so a
/// resumed run sees the same batches as an uninterrupted one. Length bucketing: windows are shuffled, cut into
/// pools of <see cref="PoolBatches"/> batches, each pool is sorted by length and split into batches (little
/// padding), and the batches are shuffled again (no length curriculum).
/// </summary>
public static class BatchPlan
{
    public const int PoolBatches = 50;

    /// <summary>Batches of window indices for <paramref name="epoch"/>; the last batch may be smaller.</summary>
    public static IReadOnlyList<int[]> ForEpoch(IReadOnlyList<int> lengths, int batchSize, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var random = new Random(unchecked((seed * 1_000_003) + epoch));
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        var poolSize = batchSize * PoolBatches;
        for (var poolStart = 0; poolStart < order.Length; poolStart += poolSize)
        {
            // Stable sort by length keeps the shuffled order among equal lengths.
            var pool = order.Skip(poolStart).Take(poolSize).OrderBy(i => lengths[i]).ToArray();
            batches.AddRange(pool.Chunk(batchSize));
        }
        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
