using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// Gives the prepared run map coordinates and clusters when its analysis did not produce them (before the latent
/// analysis stage existed): a deterministic layout with k-means-like groups by title and question type, and one
/// <c>clusters</c> row per group. A run that already has coordinates is left exactly as analysed.
/// </summary>
internal static class MapFixture
{
    private static readonly Lock Gate = new();

    public static long EnsureCoordinates(PreparedRun run)
    {
        lock (Gate)
        {
            var database = AppSchema.Initialize(run.DatabasePath);
            var points = MapPoints.Load(database, run.RunId);
            if (points.HasCoordinates(MapProjection.Umap) && HasClusters(database, run.RunId))
            {
                return run.RunId;
            }
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            // Four groups by question type; each group's points spread over a small grid of its own.
            update.CommandText = """
                UPDATE samples SET
                    cluster = coalesce(cluster, (CASE question_type WHEN 'what' THEN 0 WHEN 'who' THEN 1 WHEN 'how many' THEN 2 ELSE 3 END)),
                    hdbscan_cluster = coalesce(hdbscan_cluster, CASE WHEN sample_index % 7 = 0 THEN -1 ELSE sample_index % 3 END)
                WHERE run_id = $run;
                UPDATE samples SET
                    umap_x = coalesce(umap_x, 10.0 * cluster + 0.4 * (sample_index % 13)),
                    umap_y = coalesce(umap_y, 5.0 * (cluster % 2) + 0.5 * (sample_index * 7 % 11)),
                    pca_x = coalesce(pca_x, cluster + 0.1 * (sample_index % 17)),
                    pca_y = coalesce(pca_y, 0.1 * (sample_index % 19))
                WHERE run_id = $run;
                INSERT OR IGNORE INTO clusters (run_id, method, cluster, size, mean_loss, exact_match, f1, name, summary_json)
                SELECT run_id, 'kmeans', cluster, count(*), avg(loss), 100.0 * avg(exact_match), 100.0 * avg(f1), 'group ' || cluster,
                       json_object('top_question_starts', json_array(json_object('value', min(question_first_words), 'count', count(*))),
                                   'answer_types', json_array(json_object('value', min(answer_type), 'count', count(*))),
                                   'top_titles', json_array(json_object('value', min(title), 'count', count(*))))
                FROM samples WHERE run_id = $run GROUP BY cluster;
                INSERT OR IGNORE INTO clusters (run_id, method, cluster, size, mean_loss, exact_match, f1, name, summary_json)
                SELECT run_id, 'hdbscan', hdbscan_cluster, count(*), avg(loss), 100.0 * avg(exact_match), 100.0 * avg(f1), 'group ' || hdbscan_cluster, '{}'
                FROM samples WHERE run_id = $run GROUP BY hdbscan_cluster;
                """;
            update.Parameters.AddWithValue("$run", run.RunId);
            update.ExecuteNonQuery();
            transaction.Commit();
            return run.RunId;
        }
    }

    private static bool HasClusters(SqliteConnectionFactory database, long runId) => ClusterRows.Load(database, runId, ClusterMethods.KMeans).Count > 0;
}
