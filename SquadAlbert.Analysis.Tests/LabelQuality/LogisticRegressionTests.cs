using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LogisticRegressionTests
{
    [Fact]
    public void Without_features_the_intercept_is_the_log_odds_of_the_positives()
    {
        // 3 positives of 10: b = log(3/7).
        var rows = Enumerable.Range(0, 10).Select(_ => Array.Empty<double>()).ToList();
        var labels = Enumerable.Range(0, 10).Select(i => i < 3).ToList();

        var fit = LogisticRegression.Fit(rows, labels, l2: 1);

        Assert.True(fit.Converged);
        Assert.Empty(fit.Coefficients);
        Assert.Equal(Math.Log(3.0 / 7), fit.Intercept, 10);
    }

    [Fact]
    public void An_unpenalised_binary_feature_gets_the_log_odds_ratio_of_its_two_by_two_table()
    {
        // x = 0: 1 positive, 3 negatives (odds 1/3); x = 1: 3 positives, 1 negative (odds 3). The maximum-likelihood fit
        // matches both groups' rates exactly: b = log(1/3), w = log 3 − log(1/3) = log 9.
        double[][] rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
        bool[] labels = [true, false, false, false, true, true, true, false];

        var fit = LogisticRegression.Fit(rows, labels, l2: 0);

        Assert.True(fit.Converged);
        Assert.Equal(Math.Log(1.0 / 3), fit.Intercept, 10);
        Assert.Equal(Math.Log(9), fit.Coefficients[0], 10);
        Assert.Equal(0.25, LogisticRegression.Sigmoid(LogisticRegression.Logit([0], fit.Coefficients, fit.Intercept)), 10);
        Assert.Equal(0.75, LogisticRegression.Sigmoid(LogisticRegression.Logit([1], fit.Coefficients, fit.Intercept)), 10);
    }

    [Fact]
    public void Separable_data_with_a_penalty_stops_where_the_penalty_balances_the_likelihood()
    {
        // x = −1 negative, x = +1 positive: b = 0 by symmetry, and ∂J/∂w = −2·(1 − σ(w)) + λw = 0, solved here by bisection.
        double[][] rows = [[-1], [1]];
        bool[] labels = [false, true];
        const double L2 = 1;
        double low = 0, high = 10;
        for (var i = 0; i < 200; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = (-2 * (1 - LogisticRegression.Sigmoid(middle))) + (L2 * middle) < 0 ? (middle, high) : (low, middle);
        }

        var fit = LogisticRegression.Fit(rows, labels, L2);

        Assert.True(fit.Converged);
        Assert.Equal(0, fit.Intercept, 10);
        Assert.Equal(low, fit.Coefficients[0], 10);
    }

    [Fact]
    public void The_gradient_vanishes_at_the_fit_and_every_nearby_point_is_worse()
    {
        var random = new Random(11);
        var rows = new List<double[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 300; i++)
        {
            var x = new[] { Gaussian(random), Gaussian(random), Gaussian(random) };
            rows.Add(x);
            labels.Add(random.NextDouble() < LogisticRegression.Sigmoid(-1 + (2 * x[0]) - x[1]));
        }

        var fit = LogisticRegression.Fit(rows, labels, l2: 0.5);

        Assert.True(fit.Converged);
        var gradient = LogisticRegression.Gradient(rows, labels, fit.Coefficients, fit.Intercept, 0.5);
        // Converged means the mean gradient is below the tolerance (the sum's rounding grows with the rows).
        Assert.All(gradient, g => Assert.True(Math.Abs(g) < LogisticRegression.DefaultTolerance * rows.Count, $"gradient component {g}"));
        Assert.Equal(fit.Objective, LogisticRegression.Objective(rows, labels, fit.Coefficients, fit.Intercept, 0.5), 9);
        for (var j = 0; j < 4; j++)
        {
            foreach (var delta in new[] { -1e-3, 1e-3 })
            {
                var coefficients = fit.Coefficients.ToArray();
                var intercept = fit.Intercept;
                if (j == 0)
                {
                    intercept += delta;
                }
                else
                {
                    coefficients[j - 1] += delta;
                }
                Assert.True(LogisticRegression.Objective(rows, labels, coefficients, intercept, 0.5) > fit.Objective);
            }
        }
        // The generating model's signs come back.
        Assert.True(fit.Coefficients[0] > 1 && fit.Coefficients[1] < -0.5 && Math.Abs(fit.Coefficients[2]) < 0.5);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_row_and_feature()
    {
        var ragged = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1, 2], [1]], [true, false], 1));
        var notFinite = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1, 2], [1, double.NaN]], [true, false], 1));
        var negative = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([[1]], [true], -1));
        var singular = Assert.Throws<InvalidOperationException>(() => LogisticRegression.Fit([[1, 0], [1, 1], [1, 0], [1, 1]], [true, true, false, true], 0));

        Assert.StartsWith("Row 1 has 1 features, row 0 has 2.", ragged.Message, StringComparison.Ordinal);
        Assert.StartsWith("Row 1, feature 1 is NaN", notFinite.Message, StringComparison.Ordinal);
        Assert.Contains("≥ 0", negative.Message, StringComparison.Ordinal);
        Assert.Contains("constant or collinear feature", singular.Message, StringComparison.Ordinal);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
