using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Training;

public sealed class BatchPlanTests
{
    private static readonly int[] Lengths = Enumerable.Range(0, 1000).Select(i => 20 + (i * 37 % 200)).ToArray();

    [Fact]
    public void Every_window_appears_exactly_once_per_epoch()
    {
        var batches = BatchPlan.ForEpoch(Lengths, batchSize: 16, seed: 1, epoch: 0);
        Assert.Equal(Enumerable.Range(0, Lengths.Length), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 16));
    }

    [Fact]
    public void Order_is_a_pure_function_of_seed_and_epoch()
    {
        Assert.Equal(BatchPlan.ForEpoch(Lengths, 16, 1, 3), BatchPlan.ForEpoch(Lengths, 16, 1, 3));
        Assert.NotEqual(BatchPlan.ForEpoch(Lengths, 16, 1, 3), BatchPlan.ForEpoch(Lengths, 16, 1, 4));
        Assert.NotEqual(BatchPlan.ForEpoch(Lengths, 16, 1, 3), BatchPlan.ForEpoch(Lengths, 16, 2, 3));
    }

    [Fact]
    public void Length_bucketing_pads_far_less_than_random_batches()
    {
        static long Padding(IEnumerable<int[]> batches) =>
            batches.Sum(b => b.Sum(i => (long)(b.Max(j => Lengths[j]) - Lengths[i])));
        var bucketed = Padding(BatchPlan.ForEpoch(Lengths, 16, 1, 0));
        var shuffler = new Random(3);
        var random = Enumerable.Range(0, Lengths.Length).OrderBy(_ => shuffler.Next()).Chunk(16);
        var randomPadding = Padding(random);
        Assert.True(bucketed * 5 < randomPadding, $"bucketed padding {bucketed} vs random {randomPadding}");
    }
}
