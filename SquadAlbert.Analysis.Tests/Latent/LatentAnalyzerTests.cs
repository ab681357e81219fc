using System.Text.Json;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Latent;

public sealed class LatentAnalyzerTests
{
    /// <summary>Sized for the 12-question fixture: 2 k-means clusters, HDBSCAN clusters of at least 3, trustworthiness k = 3.</summary>
    private static readonly LatentSettings Settings = new() { ClusterCount = 20, MinClusterSize = 3, NeighbourCount = 5, TrustworthinessNeighbours = 3 };

    [Fact]
    public void Writes_coordinates_clusters_and_label_scores_for_every_sample()
    {
        var (database, runId) = FinishedRun();
        var reports = new List<LatentProgress>();

        var result = LatentAnalyzer.Run(database, runId, Settings, new SynchronousProgress<LatentProgress>(reports.Add));

        Assert.Equal(LatentStages.All, result.Stages.Select(s => s.Stage));
        Assert.All(result.Stages, stage => Assert.False(stage.Skipped));
        Assert.Equal(12, Count(database, runId, """
            umap_x IS NOT NULL AND umap_y IS NOT NULL AND pca_x IS NOT NULL AND pca_y IS NOT NULL AND cluster BETWEEN 0 AND 1
            AND hdbscan_cluster >= -1 AND label_error_score BETWEEN 0 AND 1 AND label_gold_probability BETWEEN 0 AND 1
            AND label_disjoint_confidence BETWEEN 0 AND 1 AND label_gold_disagreement BETWEEN 0 AND 1 AND label_answer_occurrences >= 0
            AND label_disjoint_distance BETWEEN 0 AND 1 AND label_gold_span_mass BETWEEN 0 AND 1 AND label_answer_type_mismatch BETWEEN 0 AND 1
            AND label_neighbour_type_disagreement BETWEEN 0 AND 1 AND label_outlier_annotator BETWEEN 0 AND 1 AND (label_gold_nbest_rank IS NULL OR label_gold_nbest_rank >= 0)
            AND label_kind IN ('none', 'probably wrong', 'ambiguous')
            """));
        // The gold probability is exp(-(loss_start + loss_end)) of the stored losses.
        Assert.Equal(0, Count(database, runId, "abs(label_gold_probability - exp(-(loss_start + loss_end))) > 1e-9"));
        Assert.Equal(2, RunFixture.Scalar<int>(database, "SELECT count(DISTINCT cluster) FROM samples WHERE run_id = $run", runId));

        var store = new LatentStore(database);
        var kmeans = store.Clusters(runId, LatentStages.KMeans);
        Assert.Equal([0, 1], kmeans.Select(c => c.Cluster));
        Assert.Equal(12, kmeans.Sum(c => c.Size));
        Assert.All(kmeans, c => Assert.Contains(" · ", c.Name, StringComparison.Ordinal));
        Assert.Equal(RunFixture.Scalar<double>(database, "SELECT avg(loss) FROM samples WHERE run_id = $run AND cluster = 0", runId), kmeans[0].MeanLoss, 9);
        var hdbscan = store.Clusters(runId, LatentStages.Hdbscan);
        Assert.Equal(12, hdbscan.Sum(c => c.Size));
        Assert.Equal(Count(database, runId, "hdbscan_cluster = -1"), hdbscan.Where(c => c.Cluster == -1).Sum(c => c.Size));

        using var umap = JsonDocument.Parse(result.Stages.Single(s => s.Stage == LatentStages.Umap).ResultJson);
        Assert.InRange(umap.RootElement.GetProperty("trustworthiness").GetDouble(), 0, 1);
        Assert.InRange(umap.RootElement.GetProperty("pca_trustworthiness").GetDouble(), 0, 1);
        Assert.Equal(12, umap.RootElement.GetProperty("trustworthiness_points").GetInt32());

        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(reports.Select(r => r.Fraction).Order(), reports.Select(r => r.Fraction));
        Assert.Contains(reports, r => r.Stage == LatentStages.Umap && r.StageFraction is > 0.1 and < 0.9);
        Assert.Equal(12, store.TopLabelErrors(runId, 20).Count);
        Assert.Equal(store.TopLabelErrors(runId, 20).Select(r => r.Label.ErrorScore).OrderDescending(), store.TopLabelErrors(runId, 20).Select(r => r.Label.ErrorScore));
    }

    [Fact]
    public void Other_label_weights_rescore_only_the_label_scores_stage_and_the_stage_records_them()
    {
        var (database, runId) = FinishedRun();
        LatentAnalyzer.Run(database, runId, Settings);
        var store = new LatentStore(database);
        Assert.Equal(LabelErrorWeights.Default.Provenance.Description, store.LabelWeightsUsedBy(runId)!.Description);
        var defaults = LabelErrorWeights.Default;
        var shifted = defaults with { Heads = [.. defaults.Heads.Select(h => h with { Intercept = h.Intercept - 5 })], Provenance = defaults.Provenance with { Description = "shifted", RunId = 7 } };

        var rescored = LatentAnalyzer.Run(database, runId, Settings with { LabelWeights = shifted });

        Assert.Equal([true, true, true, true, false], rescored.Stages.Select(s => s.Skipped));
        var used = store.LabelWeightsUsedBy(runId)!;
        Assert.Equal(("shifted", 7L), (used.Description, used.RunId));
        var stored = store.LabelScores(runId);
        Assert.All(stored, s => Assert.Equal(shifted.Probability(s.Label.Components!), s.Label.ErrorScore!.Value, 12));
        Assert.All(stored, s => Assert.NotNull(s.Label.Kind));
        // Only the provenance differs: the same scores, so nothing to recompute.
        var renamed = LatentAnalyzer.Run(database, runId, Settings with { LabelWeights = shifted with { Provenance = shifted.Provenance with { Description = "renamed" } } });
        Assert.All(renamed.Stages, stage => Assert.True(stage.Skipped));
    }

    [Fact]
    public void Resumes_after_a_cancel_without_recomputing_finished_stages()
    {
        var (database, runId) = FinishedRun();
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<LatentProgress>(report =>
        {
            if (report.Stage == LatentStages.KMeans)
            {
                cancel.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => LatentAnalyzer.Run(database, runId, Settings, progress, cancel.Token));
        var afterCancel = new LatentStore(database).Stages(runId);
        Assert.Equal([LatentStages.Pca, LatentStages.Umap], afterCancel.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, Count(database, runId, "cluster IS NOT NULL OR label_error_score IS NOT NULL"));

        var resumed = LatentAnalyzer.Run(database, runId, Settings);

        Assert.Equal([true, true, false, false, false], resumed.Stages.Select(s => s.Skipped));
        Assert.Equal(afterCancel[LatentStages.Umap].FinishedAt, new LatentStore(database).Stages(runId)[LatentStages.Umap].FinishedAt);
        Assert.Equal(12, Count(database, runId, "cluster IS NOT NULL AND label_error_score IS NOT NULL"));

        var again = LatentAnalyzer.Run(database, runId, Settings);
        Assert.All(again.Stages, stage => Assert.True(stage.Skipped));
    }

    [Fact]
    public void Changed_settings_or_force_recompute()
    {
        var (database, runId) = FinishedRun();
        var first = LatentAnalyzer.Run(database, runId, Settings);

        var changed = LatentAnalyzer.Run(database, runId, Settings with { MinClusterSize = 4 });
        Assert.Equal([true, true, true, false, true], changed.Stages.Select(s => s.Skipped));

        var forced = LatentAnalyzer.Run(database, runId, Settings with { MinClusterSize = 4, Force = true });
        Assert.All(forced.Stages, stage => Assert.False(stage.Skipped));
        // Same seed, deterministic UMAP: the forced map is the one computed the first time.
        Assert.Equal(first.Stages[1].ResultJson, forced.Stages[1].ResultJson);

        var afterForce = LatentAnalyzer.Run(database, runId, Settings with { MinClusterSize = 4 });
        Assert.All(afterForce.Stages, stage => Assert.True(stage.Skipped));
    }

    [Fact]
    public void A_recomputed_identical_map_keeps_its_hdbscan_clusters_and_a_different_map_reclusters()
    {
        var (database, runId) = FinishedRun();
        LatentAnalyzer.Run(database, runId, Settings);
        var clustered = new LatentStore(database).Stages(runId)[LatentStages.Hdbscan];

        // Without its stage row UMAP runs again with the same settings on the same embeddings: the same map.
        Execute(database, runId, $"DELETE FROM latent_stages WHERE run_id = $run AND stage = '{LatentStages.Umap}'");
        var sameMap = LatentAnalyzer.Run(database, runId, Settings);
        Assert.Equal([true, false, true, true, true], sameMap.Stages.Select(s => s.Skipped));
        Assert.Equal(clustered.FinishedAt, sameMap.Stages[3].FinishedAt);

        // Same settings on a changed embedding: a different map, which HDBSCAN must cluster again.
        var mapBefore = UmapMap(database, runId);
        NegateEmbedding(database, runId, sampleIndex: 0);
        Execute(database, runId, $"DELETE FROM latent_stages WHERE run_id = $run AND stage = '{LatentStages.Umap}'");
        var newMap = LatentAnalyzer.Run(database, runId, Settings);
        Assert.NotEqual(mapBefore, UmapMap(database, runId));
        Assert.Equal([true, false, true, false, true], newMap.Stages.Select(s => s.Skipped));
    }

    [Fact]
    public void Refuses_missing_and_unfinished_runs_with_a_clear_message()
    {
        var database = RunFixture.NewDatabase();
        var missing = Assert.Throws<InputException>(() => LatentAnalyzer.Run(database, 99, Settings));
        Assert.Contains("no run 99", missing.Message, StringComparison.Ordinal);

        var runId = new RunStore(database).CreateRun(new NewRun("key", "model", "sha", [], "dev", "dev", "{}", SampleCount: 12, BatchCount: 4));
        var unfinished = Assert.Throws<InputException>(() => LatentAnalyzer.Run(database, runId, Settings));
        Assert.Contains("not finished", unfinished.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_with_missing_embeddings_is_refused_with_a_clear_message()
    {
        var (database, runId) = FinishedRun();
        Execute(database, runId, "DELETE FROM sample_embeddings WHERE run_id = $run AND sample_index = 4");

        var error = Assert.Throws<InputException>(() => LatentAnalyzer.Run(database, runId, Settings));

        Assert.Contains("11 context_mean embeddings for 12 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trustworthiness_of_a_large_run_is_measured_on_a_subsample()
    {
        var (database, runId) = FinishedRun();

        var result = LatentAnalyzer.Run(database, runId, Settings with { TrustworthinessSampleSize = 8 });

        using var umap = JsonDocument.Parse(result.Stages.Single(s => s.Stage == LatentStages.Umap).ResultJson);
        Assert.Equal(8, umap.RootElement.GetProperty("trustworthiness_points").GetInt32());
        Assert.InRange(umap.RootElement.GetProperty("trustworthiness").GetDouble(), 0, 1);
        using var tooFew = JsonDocument.Parse(LatentAnalyzer.Run(database, runId, Settings with { TrustworthinessSampleSize = 6 }).Stages[0].ResultJson);
        Assert.Equal(JsonValueKind.Null, tooFew.RootElement.GetProperty("trustworthiness").ValueKind);
    }

    [Fact]
    public void Small_runs_get_fewer_clusters_and_a_clamped_min_cluster_size()
    {
        var settings = new LatentSettings();
        Assert.Equal(2, settings.EffectiveClusterCount(12));
        Assert.Equal(1, settings.EffectiveClusterCount(3));
        Assert.Equal(20, settings.EffectiveClusterCount(10_570));
        Assert.Equal(12, settings.EffectiveMinClusterSize(12));
        Assert.Equal(25, settings.EffectiveMinClusterSize(10_570));
    }

    private static (SqliteConnectionFactory Database, long RunId) FinishedRun()
    {
        var database = RunFixture.NewDatabase();
        var result = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 3)));
        return (database, result.RunId);
    }

    private static void Execute(SqliteConnectionFactory database, long runId, string sql)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId);
        command.ExecuteNonQuery();
    }

    private static void NegateEmbedding(SqliteConnectionFactory database, long runId, int sampleIndex)
    {
        const string Where = "WHERE run_id = $run AND sample_index = $sample AND kind = 'context_mean'";
        using var connection = database.Open();
        using var read = connection.CreateCommand();
        read.CommandText = $"SELECT vector FROM sample_embeddings {Where}";
        read.Parameters.AddWithValue("$run", runId);
        read.Parameters.AddWithValue("$sample", sampleIndex);
        var negated = EmbeddingBlob.FromBytes((byte[])read.ExecuteScalar()!).Select(value => -value).ToArray();
        using var write = connection.CreateCommand();
        write.CommandText = $"UPDATE sample_embeddings SET vector = $vector {Where}";
        write.Parameters.AddWithValue("$run", runId);
        write.Parameters.AddWithValue("$sample", sampleIndex);
        write.Parameters.AddWithValue("$vector", EmbeddingBlob.ToBytes(negated));
        write.ExecuteNonQuery();
    }

    private static string UmapMap(SqliteConnectionFactory database, long runId) =>
        RunFixture.Scalar<string>(database, "SELECT group_concat(point, ';') FROM (SELECT umap_x || ',' || umap_y AS point FROM samples WHERE run_id = $run ORDER BY sample_index)", runId);

    private static int Count(SqliteConnectionFactory database, long runId, string where) =>
        RunFixture.Scalar<int>(database, $"SELECT count(*) FROM samples WHERE run_id = $run AND ({where})", runId);
}
