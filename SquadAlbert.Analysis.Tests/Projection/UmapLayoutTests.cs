using SquadAlbert.Analysis.Projection;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Projection;

public class UmapLayoutTests
{
    [Fact]
    public void Same_seed_gives_the_same_embedding_in_deterministic_mode()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 3, pointsPerCluster: 40, dimensions: 10, centreSpread: 2, seed: 12);
        var options = new UmapOptions { Deterministic = true, Epochs = 50, Seed = 3 };
        var first = UmapProjector.Fit(data, options).Embedding.Values;
        var second = UmapProjector.Fit(data, options).Embedding.Values;
        Assert.Equal(first, second);
        Assert.NotEqual(first, UmapProjector.Fit(data, options with { Seed = 4 }).Embedding.Values);
    }

    [Fact]
    public void Steps_count_epochs_and_stop_at_the_end()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 2, pointsPerCluster: 30, dimensions: 4, centreSpread: 2, seed: 13);
        var layout = UmapProjector.Prepare(data, new UmapOptions { Epochs = 3, Deterministic = true }).Layout;
        Assert.Equal(0, layout.Epoch);
        Assert.True(layout.Step());
        Assert.True(layout.Step());
        Assert.False(layout.Step());
        Assert.True(layout.IsComplete);
        Assert.Equal(3, layout.Epoch);
        Assert.False(layout.Step());
    }

    [Fact]
    public void Attraction_pulls_an_isolated_edge_together()
    {
        // Two points 10 apart joined by one edge of weight 1 (both directions). As in umap-learn an edge of the
        // maximum weight is first due at epoch 1, so epoch 0 moves nothing. At distance 10 the attraction
        // coefficient is −2ab·d^(2b−2)/(1 + a·d^(2b)) ≈ −0.0177 per unit of offset, the repulsion only ≈ 1.8e−4:
        // the points approach along x and never leave the x axis.
        var graph = SparseMatrix.FromCoordinates(2, 2, [0, 1], [1, 0], [1f, 1f]);
        var embedding = new float[] { 0f, 0f, 10f, 0f };
        var layout = new UmapLayout(graph, embedding, 2, new UmapLayoutOptions { A = 1.577, B = 0.895, Epochs = 3 });
        Assert.Equal(2, layout.EdgeCount);
        layout.Step();
        Assert.Equal([0f, 0f, 10f, 0f], embedding);
        layout.Step();
        layout.Step();
        Assert.InRange(embedding[2] - embedding[0], 9f, 9.9f);
        Assert.Equal(0f, embedding[1]);
        Assert.Equal(0f, embedding[3]);
    }

    [Fact]
    public void The_plane_kernel_matches_the_general_kernel_bit_for_bit()
    {
        // The 2-D map has its own kernel (registers, no bounds checks). A 3-D layout whose third coordinate starts at
        // zero goes through the general one with the same arithmetic: the third coordinate gets no gradient and the
        // first two must follow the 2-D layout exactly, epoch after epoch, negative samples included.
        var (data, _) = GaussianClusters.Generate(clusters: 3, pointsPerCluster: 40, dimensions: 10, centreSpread: 2, seed: 21);
        var graph = FuzzySimplicialSet.Build(KnnGraphBuilder.Exact(data, 10, DistanceMetric.Euclidean));
        var (start, _) = SpectralInitialisation.Initialise(graph, data, 2, seed: 5);
        var flat = (float[])start.Clone();
        var solid = new float[data.Rows * 3];
        for (var i = 0; i < data.Rows; i++)
        {
            solid[i * 3] = start[i * 2];
            solid[(i * 3) + 1] = start[(i * 2) + 1];
        }
        var options = new UmapLayoutOptions { A = 1.577, B = 0.895, Epochs = 60, Seed = 9 };
        var plane = new UmapLayout(graph, flat, 2, options);
        var space = new UmapLayout(graph, solid, 3, options);
        while (plane.Step() | space.Step())
        {
        }
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.Equal(flat[i * 2], solid[i * 3]);
            Assert.Equal(flat[(i * 2) + 1], solid[(i * 3) + 1]);
            Assert.Equal(0f, solid[(i * 3) + 2]);
        }
        Assert.NotEqual(start, flat);
    }

    [Fact]
    public void Edges_too_light_to_be_sampled_once_are_dropped()
    {
        // umap-learn drops weights below max / n_epochs: with 500 epochs, 0.001 < 1/500 goes, 0.003 stays.
        var graph = SparseMatrix.FromCoordinates(3, 3, [0, 1, 0, 2], [1, 0, 2, 0], [1f, 1f, 0.003f, 0.001f]);
        var layout = new UmapLayout(graph, new float[6], 2, new UmapLayoutOptions { A = 1.577, B = 0.895, Epochs = 500 });
        Assert.Equal(3, layout.EdgeCount);
    }

    [Fact]
    public void Default_epochs_follow_umap_learn()
    {
        Assert.Equal(500, new UmapOptions().EpochsFor(10_000));
        Assert.Equal(200, new UmapOptions().EpochsFor(10_001));
        Assert.Equal(42, new UmapOptions { Epochs = 42 }.EpochsFor(10_001));
    }

    [Fact]
    public void Progress_reports_every_stage_in_order_and_cancellation_stops_the_fit()
    {
        var (data, _) = GaussianClusters.Generate(clusters: 2, pointsPerCluster: 30, dimensions: 4, centreSpread: 2, seed: 14);
        var reports = new List<UmapProgress>();
        UmapProjector.Fit(data, new UmapOptions { Epochs = 5, Deterministic = true }, new SynchronousProgress(reports.Add));
        Assert.Equal([UmapStage.NearestNeighbours, UmapStage.FuzzySimplicialSet, UmapStage.Initialisation, UmapStage.Layout, UmapStage.Done],
            reports.Select(r => r.Stage).Distinct());
        Assert.Equal([0, 1, 2, 3, 4, 5], reports.Where(r => r.Stage == UmapStage.Layout).Select(r => r.Epoch));

        using var cancellation = new CancellationTokenSource();
        var epochs = 0;
        var progress = new SynchronousProgress(report =>
        {
            if (report.Stage == UmapStage.Layout && ++epochs == 3)
            {
                cancellation.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() =>
            UmapProjector.Fit(data, new UmapOptions { Epochs = 100, Deterministic = true }, progress, cancellation.Token));
        Assert.Equal(3, epochs);
    }

    private sealed class SynchronousProgress(Action<UmapProgress> report) : IProgress<UmapProgress>
    {
        public void Report(UmapProgress value) => report(value);
    }
}
