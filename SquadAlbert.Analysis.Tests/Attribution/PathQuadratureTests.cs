using SquadAlbert.Analysis.Attribution;

namespace SquadAlbert.Analysis.Tests.Attribution;

public sealed class PathQuadratureTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(32)]
    [InlineData(50)]
    public void Gauss_legendre_integrates_polynomials_up_to_degree_2n_minus_1_exactly(int n)
    {
        var rule = PathQuadrature.Create(IntegrationRule.GaussLegendre, n);

        Assert.Equal(n, rule.Nodes.Length);
        for (var degree = 0; degree <= 2 * n - 1; degree++)
        {
            var integral = rule.Nodes.Select((a, k) => rule.Weights[k] * Math.Pow(a, degree)).Sum();
            Assert.Equal(1.0 / (degree + 1), integral, 1e-13);
        }
        Assert.All(rule.Nodes, a => Assert.InRange(a, 0.0, 1.0));
        Assert.Equal(rule.Nodes.Order(), rule.Nodes);
    }

    [Fact]
    public void Two_point_gauss_legendre_has_the_textbook_nodes()
    {
        var rule = PathQuadrature.Create(IntegrationRule.GaussLegendre, 2);

        Assert.Equal(0.5 - 0.5 / Math.Sqrt(3), rule.Nodes[0], 1e-15);
        Assert.Equal(0.5 + 0.5 / Math.Sqrt(3), rule.Nodes[1], 1e-15);
        Assert.All(rule.Weights, w => Assert.Equal(0.5, w, 1e-15));
    }

    [Fact]
    public void Trapezoid_has_both_ends_half_weighted_and_is_exact_for_linear_integrands()
    {
        var rule = PathQuadrature.Create(IntegrationRule.Trapezoid, 4);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], rule.Nodes);
        Assert.Equal([0.125, 0.25, 0.25, 0.25, 0.125], rule.Weights);
        Assert.Equal(0.5 * 3 + 2, rule.Nodes.Select((a, k) => rule.Weights[k] * (3 * a + 2)).Sum(), 1e-15);
        // x² is not exact: the trapezoid error for h = 1/4 is h²/12 · (f'(1) − f'(0)) = 1/96.
        Assert.Equal(1.0 / 3 + 1.0 / 96, rule.Nodes.Select((a, k) => rule.Weights[k] * a * a).Sum(), 1e-15);
    }

    [Fact]
    public void Fewer_than_one_step_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PathQuadrature.Create(IntegrationRule.Trapezoid, 0));
    }
}
