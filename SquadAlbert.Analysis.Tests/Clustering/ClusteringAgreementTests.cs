using SquadAlbert.Analysis.Clustering;

namespace SquadAlbert.Analysis.Tests.Clustering;

public class ClusteringAgreementTests
{
    // ARI = (Σ C(n_ij,2) − E) / (½(A + B) − E) with A = Σ C(a_i,2), B = Σ C(b_j,2), E = A·B / C(n,2).
    [Theory]
    // Identical, and identical up to renaming: 1.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    // Cells (0,0)=2, (1,1)=1, (1,2)=1: Σ=1; A=2, B=1, C(4,2)=6 → E=1/3; ARI = (2/3)/(3/2 − 1/3) = 4/7.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 4.0 / 7)]
    [InlineData(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 4.0 / 7)]
    // All cells 1: Σ=0; A=B=2 → E=2/3; ARI = (−2/3)/(2 − 2/3) = −1/2.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, -0.5)]
    // One cluster vs all singletons: Σ=0, A=6, B=0 → E=0; ARI = 0/3 = 0.
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    // Both a single cluster, both all singletons: identical partitions (0/0 in the formula) → 1.
    [InlineData(new[] { 3, 3, 3 }, new[] { 7, 7, 7 }, 1.0)]
    [InlineData(new[] { 0, 1, 2 }, new[] { 2, 0, 1 }, 1.0)]
    // n=6, a=[0,0,0,1,1,1], b=[0,0,1,1,2,2]: cells (0,0)=2,(0,1)=1,(1,1)=1,(1,2)=2 → Σ=2; A=3+3=6, B=1+1+1=3,
    // C(6,2)=15 → E=18/15=1.2; max=4.5; ARI=(2−1.2)/(4.5−1.2)=0.8/3.3=8/33.
    [InlineData(new[] { 0, 0, 0, 1, 1, 1 }, new[] { 0, 0, 1, 1, 2, 2 }, 8.0 / 33)]
    public void AdjustedRandIndex_matches_hand_computed_values(int[] a, int[] b, double expected) =>
        Assert.Equal(expected, ClusteringAgreement.AdjustedRandIndex(a, b), 12);

    [Fact]
    public void AdjustedRandIndex_of_independent_random_labelings_is_near_zero()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 20000).Select(_ => random.Next(5)).ToArray();
        var b = Enumerable.Range(0, 20000).Select(_ => random.Next(5)).ToArray();
        Assert.InRange(ClusteringAgreement.AdjustedRandIndex(a, b), -0.01, 0.01);
    }

    // NMI = I / ((H(a) + H(b)) / 2), natural logs.
    [Theory]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    // b refines a: I = H(a) = ln 2, H(b) = 1.5 ln 2 → NMI = ln 2 / (1.25 ln 2) = 0.8.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 0.8)]
    // Independent: joint entropy = H(a) + H(b) → I = 0.
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, 0.0)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    [InlineData(new[] { 5, 5, 5 }, new[] { 1, 1, 1 }, 1.0)]
    public void NormalizedMutualInformation_matches_hand_computed_values(int[] a, int[] b, double expected) =>
        Assert.Equal(expected, ClusteringAgreement.NormalizedMutualInformation(a, b), 12);

    [Fact]
    public void Labelings_of_different_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ClusteringAgreement.AdjustedRandIndex([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => ClusteringAgreement.NormalizedMutualInformation([], []));
    }
}
