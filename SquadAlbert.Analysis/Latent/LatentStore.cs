using System.Text.Json;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Latent;

/// <summary>A row of <c>latent_stages</c>.</summary>
public sealed record LatentStageRecord(string Stage, string SettingsJson, string ResultJson, DateTimeOffset FinishedAt);

/// <summary>The per-sample facts the latent stages read: what clusters are summarised by and what label scores need.</summary>
public sealed record LatentSample(int SampleIndex, ClusterMember Member, LabelErrorInput LabelInput);

/// <summary>A sample ranked by its label-error score, with what the ranking shows of it.</summary>
public sealed record LabelErrorRow(
    int SampleIndex, string ExampleId, string Title, string Question, string FirstGold, string Prediction, string Relation, LabelScores Label);

/// <summary>A sample's gold texts, losses and stored label-error evidence (what the planted-noise report and fit read).</summary>
public sealed record StoredLabelScores(
    int SampleIndex, string ExampleId, IReadOnlyList<string> GoldTexts, double Loss, double LossStart, double LossEnd, LabelScores Label);

/// <summary>Reads and writes the latent-analysis tables and columns (schema migrations 3 and 5 of <see cref="AppSchema"/>).</summary>
public sealed class LatentStore(SqliteConnectionFactory database)
{
    public SqliteConnectionFactory Database { get; } = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>The finished stages of a run, keyed by stage name.</summary>
    public IReadOnlyDictionary<string, LatentStageRecord> Stages(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stage, settings_json, result_json, finished_at FROM latent_stages WHERE run_id = $run";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var stages = new Dictionary<string, LatentStageRecord>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var stage = reader.Text("stage");
            stages[stage] = new LatentStageRecord(stage, reader.Text("settings_json"), reader.Text("result_json"),
                reader.Time("finished_at", $"run {runId} stage {stage}"));
        }
        return stages;
    }

    /// <summary>The weights the run's label_scores stage scored with; null before it ran (or when it predates the record).</summary>
    public LabelWeightsUsed? LabelWeightsUsedBy(long runId)
    {
        if (!Stages(runId).TryGetValue(LatentStages.LabelScores, out var stage))
        {
            return null;
        }
        using var document = JsonDocument.Parse(stage.ResultJson);
        return document.RootElement.TryGetProperty(LabelWeightsUsed.ResultField, out var weights) && weights.ValueKind == JsonValueKind.Object
            ? weights.Deserialize<LabelWeightsUsed>(LatentAnalyzer.StageJsonOptions)
            : null;
    }

    /// <summary>The context_mean embeddings of every sample, in sample order.</summary>
    /// <exception cref="InputException">Some sample has no embedding (a model without embedding outputs).</exception>
    public RowMatrix ContextMeanEmbeddings(long runId, int sampleCount)
    {
        var (samples, values, dimension) = new RunStore(Database).Embeddings(runId, EmbeddingKinds.ContextMean);
        // Rows are in sample order, so a complete set is exactly samples 0..sampleCount-1.
        if (samples.Length != sampleCount || (sampleCount > 0 && samples[^1] != sampleCount - 1))
        {
            throw new InputException($"Run {runId} has {samples.Length} {EmbeddingKinds.ContextMean} embeddings for {sampleCount} samples: " +
                                     "analyse again with a model that outputs context_mean_embedding.");
        }
        return new RowMatrix(values, sampleCount, dimension);
    }

    public IReadOnlyList<LatentSample> Samples(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SampleColumns.List(
                SampleColumns.SampleIndex, SampleColumns.Loss, SampleColumns.ExactMatch, SampleColumns.F1, SampleColumns.QuestionType,
                SampleColumns.QuestionFirstWords, SampleColumns.AnswerType, SampleColumns.Title, SampleColumns.AnswerPosition, SampleColumns.IsMultiWindow,
                SampleColumns.LossStart, SampleColumns.LossEnd, SampleColumns.Relation, SampleColumns.PredictionProbability,
                SampleColumns.RelationCharDistance, SampleColumns.GoldAnswersJson, SampleColumns.Context, SampleColumns.Question, SampleColumns.NBestJson,
                SampleColumns.Answerable, SampleColumns.NoAnswerProbability)}
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var row = command.ExecuteReader();
        var samples = new List<LatentSample>();
        while (row.Read())
        {
            var index = row.Int32(SampleColumns.SampleIndex);
            var source = $"run {runId} sample {index}";
            var member = new ClusterMember(row.Real(SampleColumns.Loss), row.Flag(SampleColumns.ExactMatch), row.Real(SampleColumns.F1),
                row.Text(SampleColumns.QuestionType), row.Text(SampleColumns.QuestionFirstWords), row.Text(SampleColumns.AnswerType),
                row.Text(SampleColumns.Title), row.Real(SampleColumns.AnswerPosition), row.Flag(SampleColumns.IsMultiWindow));
            var label = new LabelErrorInput(row.Text(SampleColumns.Question), row.Text(SampleColumns.Context),
                GoldAnswer.ParseJson(row.Text(SampleColumns.GoldAnswersJson), source), row.Real(SampleColumns.LossStart), row.Real(SampleColumns.LossEnd),
                row.Text(SampleColumns.Relation), row.Real(SampleColumns.PredictionProbability), row.Int32OrNull(SampleColumns.RelationCharDistance),
                NBestEntry.ParseJson(row.Text(SampleColumns.NBestJson), source), row.Flag(SampleColumns.Answerable),
                row.RealOrNull(SampleColumns.NoAnswerProbability));
            samples.Add(new LatentSample(index, member, label));
        }
        return samples;
    }

    /// <summary>The stored cluster summaries of one method, in cluster order.</summary>
    public IReadOnlyList<ClusterSummary> Clusters(long runId, string method)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT cluster, size, mean_loss, exact_match, f1, name, summary_json FROM clusters WHERE run_id = $run AND method = $method ORDER BY cluster";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$method", method);
        using var reader = command.ExecuteReader();
        var clusters = new List<ClusterSummary>();
        while (reader.Read())
        {
            var (starts, questionTypes, answerTypes, titles, position, multiWindow) = ClusterSummary.ParseSummaryJson(reader.Text("summary_json"));
            clusters.Add(new ClusterSummary(reader.Int32("cluster"), reader.Int32("size"), reader.Real("mean_loss"), reader.Real("exact_match"),
                reader.Real("f1"), reader.Text("name"), starts, questionTypes, answerTypes, titles, position, multiWindow));
        }
        return clusters;
    }

    /// <summary>The <paramref name="top"/> samples with the highest label-error score (ties by sample index).</summary>
    public IReadOnlyList<LabelErrorRow> TopLabelErrors(long runId, int top)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SampleColumns.List(SampleColumns.SampleIndex, SampleColumns.ExampleId, SampleColumns.Title, SampleColumns.Question,
                SampleColumns.GoldAnswersJson, SampleColumns.Prediction, SampleColumns.Relation, LabelScoreColumns.Select())}
            FROM samples WHERE run_id = $run AND {LabelScoreColumns.ErrorScore} IS NOT NULL
            ORDER BY {LabelScoreColumns.ErrorScore} DESC, {SampleColumns.SampleIndex} LIMIT $top
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$top", top);
        using var reader = command.ExecuteReader();
        var rows = new List<LabelErrorRow>();
        while (reader.Read())
        {
            var index = reader.Int32(SampleColumns.SampleIndex);
            var source = $"run {runId} sample {index}";
            var golds = GoldAnswer.ParseJson(reader.Text(SampleColumns.GoldAnswersJson), source);
            rows.Add(new LabelErrorRow(index, reader.Text(SampleColumns.ExampleId), reader.Text(SampleColumns.Title), reader.Text(SampleColumns.Question),
                golds.Count > 0 ? golds[0].Text : "", reader.Text(SampleColumns.Prediction), reader.Text(SampleColumns.Relation),
                LabelScoreColumns.Read(reader, source)));
        }
        return rows;
    }

    /// <summary>Every sample's gold texts, losses and label-error evidence, in sample order.</summary>
    public IReadOnlyList<StoredLabelScores> LabelScores(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SampleColumns.List(SampleColumns.SampleIndex, SampleColumns.ExampleId, SampleColumns.GoldAnswersJson, SampleColumns.Loss,
                LabelScoreColumns.Select())}
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredLabelScores>();
        while (reader.Read())
        {
            var index = reader.Int32(SampleColumns.SampleIndex);
            var source = $"run {runId} sample {index}";
            var golds = GoldAnswer.ParseJson(reader.Text(SampleColumns.GoldAnswersJson), source);
            rows.Add(new StoredLabelScores(index, reader.Text(SampleColumns.ExampleId), [.. golds.Select(answer => answer.Text)], reader.Real(SampleColumns.Loss),
                reader.Real(SampleColumns.LossStart), reader.Real(SampleColumns.LossEnd), LabelScoreColumns.Read(reader, source)));
        }
        return rows;
    }

    /// <summary>The UMAP coordinates of every sample, in sample order: one row of (x, y) per sample.</summary>
    public RowMatrix UmapCoordinates(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SampleColumns.List(SampleColumns.UmapX, SampleColumns.UmapY)} FROM samples WHERE run_id = $run ORDER BY sample_index";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var values = new List<float>();
        while (reader.Read())
        {
            values.Add((float)reader.Real(SampleColumns.UmapX));
            values.Add((float)reader.Real(SampleColumns.UmapY));
        }
        return new RowMatrix([.. values], values.Count / 2, 2);
    }

    /// <summary>Text that changes whenever what a run's map shows may have changed: the run finished, or a latent stage
    /// (re)finished. A cache of the run's map points is current while this is unchanged.</summary>
    public string MapVersion(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT coalesce((SELECT finished_at FROM runs WHERE id = $run), '') || '|' ||
                   coalesce((SELECT group_concat(stage || finished_at) FROM latent_stages WHERE run_id = $run), '')
            """;
        command.Parameters.AddWithValue("$run", runId);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Writes every sample's label-error components, score and kind (<paramref name="scores"/>[i] belongs to
    /// <paramref name="sampleIndices"/>[i]).</summary>
    internal static void WriteLabelScores(SqliteConnection connection, SqliteTransaction transaction, long runId, IReadOnlyList<int> sampleIndices,
        IReadOnlyList<LabelErrorScores> scores) =>
        UpdateSamples(connection, transaction, runId, sampleIndices, LabelScoreColumns.Written, (row, column) => LabelScoreColumns.Value(scores[row], column));

    /// <summary>Writes per-sample values and the stage's <c>latent_stages</c> row in one transaction, so a killed
    /// stage leaves either all of its output or none.</summary>
    internal void CommitStage(long runId, string stage, string settingsJson, string resultJson, DateTimeOffset finishedAt, Action<SqliteConnection, SqliteTransaction> write)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        write(connection, transaction);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO latent_stages (run_id, stage, settings_json, result_json, finished_at) VALUES ($run, $stage, $settings, $result, $at)
            ON CONFLICT (run_id, stage) DO UPDATE SET settings_json = excluded.settings_json, result_json = excluded.result_json,
                finished_at = excluded.finished_at
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$stage", stage);
        command.Parameters.AddWithValue("$settings", settingsJson);
        command.Parameters.AddWithValue("$result", resultJson);
        command.Parameters.AddWithValue("$at", StoredTime.ToText(finishedAt));
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Sets <paramref name="columns"/> of every sample from <paramref name="value"/>(sample position, column).</summary>
    internal static void UpdateSamples(SqliteConnection connection, SqliteTransaction transaction, long runId, IReadOnlyList<int> sampleIndices,
        IReadOnlyList<string> columns, Func<int, int, object?> value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE samples SET {string.Join(", ", columns.Select((c, i) => $"{c} = $v{i}"))} WHERE run_id = $run AND sample_index = $sample";
        command.Parameters.AddWithValue("$run", runId);
        var sample = command.Parameters.Add(new SqliteParameter("$sample", null));
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$v{i}", null))).ToArray();
        for (var row = 0; row < sampleIndices.Count; row++)
        {
            sample.Value = sampleIndices[row];
            for (var c = 0; c < columns.Count; c++)
            {
                parameters[c].Value = value(row, c) ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }

    internal static void ReplaceClusters(SqliteConnection connection, SqliteTransaction transaction, long runId, string method, IReadOnlyList<ClusterSummary> clusters)
    {
        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM clusters WHERE run_id = $run AND method = $method";
        delete.Parameters.AddWithValue("$run", runId);
        delete.Parameters.AddWithValue("$method", method);
        delete.ExecuteNonQuery();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO clusters (run_id, method, cluster, size, mean_loss, exact_match, f1, name, summary_json)
            VALUES ($run, $method, $cluster, $size, $loss, $em, $f1, $name, $summary)
            """;
        insert.Parameters.AddWithValue("$run", runId);
        insert.Parameters.AddWithValue("$method", method);
        foreach (var name in new[] { "$cluster", "$size", "$loss", "$em", "$f1", "$name", "$summary" })
        {
            insert.Parameters.Add(new SqliteParameter(name, null));
        }
        foreach (var cluster in clusters)
        {
            insert.Parameters["$cluster"].Value = cluster.Cluster;
            insert.Parameters["$size"].Value = cluster.Size;
            insert.Parameters["$loss"].Value = cluster.MeanLoss;
            insert.Parameters["$em"].Value = cluster.ExactMatch;
            insert.Parameters["$f1"].Value = cluster.F1;
            insert.Parameters["$name"].Value = cluster.Name;
            insert.Parameters["$summary"].Value = cluster.ToSummaryJson();
            insert.ExecuteNonQuery();
        }
    }

}
