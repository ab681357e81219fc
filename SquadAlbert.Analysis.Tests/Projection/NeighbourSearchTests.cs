using SquadAlbert.Analysis.Projection;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Projection;

public class NeighbourSearchTests
{
    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void Exact_search_matches_a_naive_sort(DistanceMetric metric)
    {
        var (data, _) = GaussianClusters.Generate(clusters: 4, pointsPerCluster: 50, dimensions: 19, centreSpread: 2, seed: 3);
        var graph = KnnGraphBuilder.Exact(data, 8, metric);
        for (var i = 0; i < data.Rows; i++)
        {
            var expected = Enumerable.Range(0, data.Rows).Where(j => j != i)
                .Select(j => (Index: j, Distance: NaiveDistance(data.Row(i), data.Row(j), metric)))
                .OrderBy(p => p.Distance).Take(7).ToArray();
            Assert.Equal(i, graph.NeighboursOf(i)[0]);
            Assert.Equal(0f, graph.DistancesOf(i)[0]);
            Assert.Equal(expected.Select(p => p.Index), graph.NeighboursOf(i)[1..].ToArray());
            for (var j = 0; j < 7; j++)
            {
                Assert.Equal(expected[j].Distance, graph.DistancesOf(i)[j + 1], 1e-3);
            }
        }
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void Descent_finds_nearly_all_exact_neighbours(DistanceMetric metric)
    {
        var (data, _) = GaussianClusters.Generate(clusters: 10, pointsPerCluster: 200, dimensions: 32, centreSpread: 1, seed: 4);
        var exact = KnnGraphBuilder.Exact(data, 15, metric);
        var approximate = NearestNeighbourDescent.Build(data, 15, metric, seed: 1);
        Assert.True(approximate.RecallAgainst(exact) >= 0.95, $"recall {approximate.RecallAgainst(exact)}");
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.Equal(i, approximate.NeighboursOf(i)[0]);
            Assert.DoesNotContain(-1, approximate.NeighboursOf(i).ToArray());
        }
    }

    [Fact]
    public void Sequential_descent_is_reproducible()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 5, pointsPerCluster: 100, dimensions: 16, centreSpread: 1, seed: 5);
        var first = NearestNeighbourDescent.Build(data, 10, DistanceMetric.Euclidean, seed: 9, parallel: false);
        var second = NearestNeighbourDescent.Build(data, 10, DistanceMetric.Euclidean, seed: 9, parallel: false);
        Assert.Equal(first.Indices, second.Indices);
        Assert.Equal(first.Distances, second.Distances);
    }

    [Fact]
    public void Builder_switches_to_descent_above_the_threshold()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 2, pointsPerCluster: 60, dimensions: 8, centreSpread: 1, seed: 6);
        var exact = KnnGraphBuilder.Exact(data, 5, DistanceMetric.Euclidean);
        Assert.Equal(exact.Indices, KnnGraphBuilder.Build(data, 5, DistanceMetric.Euclidean, exactThreshold: 120, seed: 1, parallel: true).Indices);
        var descent = NearestNeighbourDescent.Build(data, 5, DistanceMetric.Euclidean, seed: 1, parallel: false);
        Assert.Equal(descent.Indices, KnnGraphBuilder.Build(data, 5, DistanceMetric.Euclidean, exactThreshold: 119, seed: 1, parallel: false).Indices);
    }

    private static double NaiveDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y, DistanceMetric metric)
    {
        double dot = 0, xx = 0, yy = 0, squared = 0;
        for (var c = 0; c < x.Length; c++)
        {
            dot += x[c] * y[c];
            xx += x[c] * x[c];
            yy += y[c] * y[c];
            squared += (x[c] - y[c]) * (x[c] - y[c]);
        }
        return metric == DistanceMetric.Euclidean ? Math.Sqrt(squared) : 1 - (dot / Math.Sqrt(xx * yy));
    }
}
