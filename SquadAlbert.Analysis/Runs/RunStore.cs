using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>What one finished batch wrote, as recorded in <c>run_batches</c>.</summary>
public sealed record RunBatch(int BatchIndex, int FirstSample, int SampleCount, int WindowCount, long ElapsedMs);

/// <summary>What <see cref="RunStore.BeginWriting"/> found or made: a finished run (nothing to write), or an incomplete run
/// now claimed by the caller, <paramref name="Created"/> when it is new.</summary>
public sealed record RunWriteStart(RunInfo Run, bool Created);

/// <summary>Reads and writes the run tables (schema migrations 2 and 4 of <see cref="AppSchema"/>: runs, their batches, their claims,
/// their samples and embeddings); the run-level views of the samples (split figures, slices, comparisons) are read here too, and
/// the wide reads of the samples (a page's sample rows, the map's columns) in <c>RunStore.Samples.cs</c>.</summary>
public sealed partial class RunStore(SqliteConnectionFactory database)
{
    public SqliteConnectionFactory Database { get; } = database ?? throw new ArgumentNullException(nameof(database));

    /// <summary>Inserts a run without claiming it (for writers that own their database, like the synthetic runs of the tests);
    /// analyses start through <see cref="BeginWriting"/>.</summary>
    public long CreateRun(NewRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var connection = Database.Open();
        return Insert(connection, null, run);
    }

    /// <summary>
    /// Starts writing the run <paramref name="newRun"/> describes, in ONE write transaction: finds the newest run with its key
    /// (unless <paramref name="force"/>), and returns it untouched when finished; otherwise claims it for
    /// <paramref name="writer"/>, or creates and claims a new one. <c>BEGIN IMMEDIATE</c> takes the write lock before the
    /// lookup, so two writers starting together never both create the run: the second sees the first's run and claim.
    /// A live claim is first looked for without the lock, so a writer that holds the lock but cannot release it (stopped
    /// with Ctrl-Z in the middle of a batch) makes the second writer stop at once instead of waiting out the busy timeout.
    /// </summary>
    /// <exception cref="RunBusyException">Another writer holds a live claim on the run (see <see cref="RunClaim.IsLive"/>).</exception>
    public RunWriteStart BeginWriting(NewRun newRun, bool force, RunWriter writer, TimeSpan? expiry = null)
    {
        ArgumentNullException.ThrowIfNull(newRun);
        ArgumentNullException.ThrowIfNull(writer);
        var claimExpiry = expiry ?? RunClaim.Expiry;
        using var connection = Database.Open();
        if (!force)
        {
            // WAL readers never wait for the writer: a live claim is reported without touching the write lock.
            using var snapshot = connection.BeginTransaction(deferred: true);
            ThrowIfClaimedByAnother(connection, snapshot, Latest(connection, snapshot, newRun.RunKey), writer, claimExpiry);
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        var existing = force ? null : Latest(connection, transaction, newRun.RunKey);
        if (existing is { IsFinished: true })
        {
            return new RunWriteStart(existing, Created: false);
        }
        ThrowIfClaimedByAnother(connection, transaction, existing, writer, claimExpiry);
        var now = DateTimeOffset.UtcNow;
        var runId = existing?.Id ?? Insert(connection, transaction, newRun);
        using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO run_claims (run_id, writer_id, host, process_id, process_start, claimed_at, heartbeat_at)
                VALUES ($run, $writer, $host, $pid, $start, $now, $now)
                ON CONFLICT (run_id) DO UPDATE SET writer_id = excluded.writer_id, host = excluded.host, process_id = excluded.process_id,
                    process_start = excluded.process_start, claimed_at = excluded.claimed_at, heartbeat_at = excluded.heartbeat_at
                """;
            upsert.Parameters.AddWithValue("$run", runId);
            AddWriter(upsert, writer);
            upsert.Parameters.AddWithValue("$now", StoredTime.ToText(now));
            upsert.ExecuteNonQuery();
        }
        var run = existing ?? Query(connection, transaction, "WHERE id = $id", ("$id", runId)).Single();
        transaction.Commit();
        return new RunWriteStart(run, Created: existing is null);
    }

    private static RunInfo? Latest(SqliteConnection connection, SqliteTransaction transaction, string runKey) =>
        Query(connection, transaction, "WHERE run_key = $key ORDER BY id DESC LIMIT 1", ("$key", runKey)).FirstOrDefault();

    private void ThrowIfClaimedByAnother(SqliteConnection connection, SqliteTransaction transaction, RunInfo? existing, RunWriter writer, TimeSpan expiry)
    {
        var now = DateTimeOffset.UtcNow;
        if (existing is { IsFinished: false } && ReadClaim(connection, transaction, existing.Id) is { } claim && claim.Writer.WriterId != writer.WriterId
            && claim.IsLive(now, expiry))
        {
            throw new RunBusyException(string.Create(CultureInfo.InvariantCulture,
                $"Run {existing.Id} in {Database.DatabasePath} (the same model, settings and questions) is being written by another writer: " +
                $"{claim.Describe(now)}. Wait until it finishes (the same command then reports it finished), or stop that writer: " +
                $"a run whose writer was killed is resumed at once on the same machine, and {expiry.TotalSeconds:F0} s " +
                $"after its last heartbeat from another."));
        }
    }

    /// <summary>The claim on <paramref name="runId"/>, live or not; null when nobody claimed it or its writer finished or released it.</summary>
    public RunClaim? Claim(long runId)
    {
        using var connection = Database.Open();
        return ReadClaim(connection, null, runId);
    }

    /// <summary>Renews <paramref name="writer"/>'s claim; false when the run is no longer claimed by it.</summary>
    public bool Heartbeat(long runId, RunWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var connection = Database.Open();
        return Renew(connection, null, runId, writer);
    }

    /// <summary>Gives up <paramref name="writer"/>'s claim (a claim taken over by another writer stays).</summary>
    public void Release(long runId, RunWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM run_claims WHERE run_id = $run AND writer_id = $writer";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$writer", writer.WriterId);
        command.ExecuteNonQuery();
    }

    /// <summary>The newest run with this key, or null.</summary>
    public RunInfo? FindLatest(string runKey) => Query("WHERE run_key = $key ORDER BY id DESC LIMIT 1", ("$key", runKey)).FirstOrDefault();

    public RunInfo? Find(long runId) => Query("WHERE id = $id", ("$id", runId)).FirstOrDefault();

    public IReadOnlyList<RunInfo> All() => Query("ORDER BY id");

    /// <summary>Every run's figures per split over the samples stored so far, keyed by run; splits in population order (the
    /// order of their first sample).</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<SplitSummary>> SplitSummaries()
    {
        var splits = new Dictionary<long, List<SplitSummary>>();
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT run_id, split, count(*) AS samples, 100.0 * avg(exact_match) AS exact_match, 100.0 * avg(f1) AS f1, avg(loss) AS mean_loss,
                   min(sample_index) AS first_sample
            FROM samples GROUP BY run_id, split ORDER BY run_id, first_sample
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var runId = reader.Int64(SampleColumns.RunId);
            if (!splits.TryGetValue(runId, out var list))
            {
                splits[runId] = list = [];
            }
            list.Add(new SplitSummary(reader.Text(SampleColumns.Split), reader.Int32("samples"), reader.Real("exact_match"), reader.Real("f1"),
                reader.Real("mean_loss")));
        }
        return splits.ToDictionary(s => s.Key, s => (IReadOnlyList<SplitSummary>)s.Value);
    }

    /// <summary>What slicing reads of every sample of a run, in sample order (<see cref="RunSlices"/>).</summary>
    public IReadOnlyList<SliceSample> SliceSamples(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SampleColumns.List(SampleColumns.Title, SampleColumns.QuestionType, SampleColumns.AnswerType, SampleColumns.Cluster,
                SampleColumns.ContextTokens, SampleColumns.ExactMatch, SampleColumns.F1, SampleColumns.Loss, SampleColumns.Relation,
                SampleColumns.Prediction, SampleColumns.GoldAnswersJson)}
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var samples = new List<SliceSample>();
        var source = string.Create(CultureInfo.InvariantCulture, $"run {runId}");
        while (reader.Read())
        {
            var golds = GoldAnswer.ParseJson(reader.Text(SampleColumns.GoldAnswersJson), source).Select(g => g.Text);
            samples.Add(new SliceSample(reader.Text(SampleColumns.Title), reader.Text(SampleColumns.QuestionType), reader.Text(SampleColumns.AnswerType),
                reader.Int32OrNull(SampleColumns.Cluster), reader.Int32(SampleColumns.ContextTokens), reader.Flag(SampleColumns.ExactMatch),
                reader.Real(SampleColumns.F1), reader.Real(SampleColumns.Loss),
                RunSlices.RelationSlice(reader.Text(SampleColumns.Relation), reader.Text(SampleColumns.Prediction), golds)));
        }
        return samples;
    }

    /// <summary>The questions two runs share (same population position and id), in sample order (<see cref="RunComparison"/>).</summary>
    public IReadOnlyList<SampleDelta> SampleDeltas(long runA, long runB)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.sample_index, a.example_id, a.split, a.exact_match AS exact_match_a, b.exact_match AS exact_match_b, a.f1 AS f1_a, b.f1 AS f1_b,
                   a.loss AS loss_a, b.loss AS loss_b
            FROM samples a JOIN samples b ON b.run_id = $b AND b.sample_index = a.sample_index AND b.example_id = a.example_id
            WHERE a.run_id = $a ORDER BY a.sample_index
            """;
        command.Parameters.AddWithValue("$a", runA);
        command.Parameters.AddWithValue("$b", runB);
        using var reader = command.ExecuteReader();
        var samples = new List<SampleDelta>();
        while (reader.Read())
        {
            samples.Add(new SampleDelta(reader.Int32(SampleColumns.SampleIndex), reader.Text(SampleColumns.ExampleId), reader.Text(SampleColumns.Split),
                reader.Flag("exact_match_a"), reader.Flag("exact_match_b"), reader.Real("f1_a"), reader.Real("f1_b"), reader.Real("loss_a"),
                reader.Real("loss_b")));
        }
        return samples;
    }

    /// <summary>The samples of a run stored so far.</summary>
    public int SampleCount(long runId)
    {
        using var connection = Database.Open();
        return SampleCount(connection, runId);
    }

    private static int SampleCount(SqliteConnection connection, long runId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM samples WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes a run that <paramref name="writer"/> holds and that has no batch yet (it failed before its first
    /// commit), so no run that can never finish is left behind; any other run is kept.</summary>
    public void Abandon(long runId, RunWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM runs WHERE id = $run AND status = $incomplete
                AND EXISTS (SELECT 1 FROM run_claims WHERE run_id = $run AND writer_id = $writer)
                AND NOT EXISTS (SELECT 1 FROM run_batches WHERE run_id = $run)
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$incomplete", RunStatus.Incomplete.Label());
        command.Parameters.AddWithValue("$writer", writer.WriterId);
        command.ExecuteNonQuery();
    }

    /// <summary>The batches of <paramref name="runId"/> already committed.</summary>
    public IReadOnlyList<RunBatch> Batches(long runId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT batch_index, first_sample, sample_count, window_count, elapsed_ms FROM run_batches WHERE run_id = $id ORDER BY batch_index";
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        var batches = new List<RunBatch>();
        while (reader.Read())
        {
            batches.Add(new RunBatch(reader.Int32("batch_index"), reader.Int32("first_sample"), reader.Int32("sample_count"), reader.Int32("window_count"),
                reader.Int64("elapsed_ms")));
        }
        return batches;
    }

    /// <summary>Writes a batch's samples, their embeddings and its <c>run_batches</c> row in ONE transaction, so a
    /// killed run has either all of a batch or none of it. With a <paramref name="writer"/>, the same transaction first
    /// renews its claim, so a writer whose claim was taken over never writes again; a batch already written is skipped.</summary>
    /// <returns>False when the batch was already written (nothing was written).</returns>
    /// <exception cref="RunBusyException"><paramref name="writer"/> no longer holds the run.</exception>
    public bool WriteBatch(long runId, RunBatch batch, IReadOnlyList<SampleRecord> samples, RunWriter? writer = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(samples);
        using var connection = Database.Open();
        // IMMEDIATE: the claim check reads before the writes, and a read lock cannot always be upgraded to a write lock in WAL mode.
        using var transaction = connection.BeginTransaction(deferred: false);
        if (writer is not null)
        {
            RenewOrThrow(connection, transaction, runId, writer);
        }
        using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = "SELECT count(*) FROM run_batches WHERE run_id = $run AND batch_index = $batch";
            exists.Parameters.AddWithValue("$run", runId);
            exists.Parameters.AddWithValue("$batch", batch.BatchIndex);
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }
        using var insertSample = connection.CreateCommand();
        insertSample.Transaction = transaction;
        insertSample.CommandText =
            $"INSERT INTO samples (run_id, {string.Join(", ", SampleColumns.Written.Select(c => c.Column))}) " +
            $"VALUES ($run_id, {string.Join(", ", SampleColumns.Written.Select(c => "$" + c.Column))})";
        insertSample.Parameters.AddWithValue("$run_id", runId);
        foreach (var (column, _) in SampleColumns.Written)
        {
            insertSample.Parameters.Add(new SqliteParameter("$" + column, null));
        }
        using var insertEmbedding = connection.CreateCommand();
        insertEmbedding.Transaction = transaction;
        insertEmbedding.CommandText = "INSERT INTO sample_embeddings (run_id, sample_index, kind, dimension, vector) VALUES ($run, $sample, $kind, $dimension, $vector)";
        insertEmbedding.Parameters.AddWithValue("$run", runId);
        var sampleParameter = insertEmbedding.Parameters.Add(new SqliteParameter("$sample", null));
        var kindParameter = insertEmbedding.Parameters.Add(new SqliteParameter("$kind", null));
        var dimensionParameter = insertEmbedding.Parameters.Add(new SqliteParameter("$dimension", null));
        var vectorParameter = insertEmbedding.Parameters.Add(new SqliteParameter("$vector", null));
        foreach (var sample in samples)
        {
            for (var c = 0; c < SampleColumns.Written.Count; c++)
            {
                insertSample.Parameters[c + 1].Value = SampleColumns.Written[c].Value(sample) ?? DBNull.Value;
            }
            insertSample.ExecuteNonQuery();
            foreach (var (kind, vector) in new[] { (EmbeddingKinds.ContextMean, sample.ContextMeanEmbedding), (EmbeddingKinds.Cls, sample.ClsEmbedding) })
            {
                if (vector is null)
                {
                    continue;
                }
                sampleParameter.Value = sample.SampleIndex;
                kindParameter.Value = kind;
                dimensionParameter.Value = vector.Length;
                vectorParameter.Value = EmbeddingBlob.ToBytes(vector);
                insertEmbedding.ExecuteNonQuery();
            }
        }
        using var insertBatch = connection.CreateCommand();
        insertBatch.Transaction = transaction;
        insertBatch.CommandText = """
            INSERT INTO run_batches (run_id, batch_index, first_sample, sample_count, window_count, elapsed_ms, finished_at)
            VALUES ($run, $batch, $first, $count, $windows, $elapsed, $at)
            """;
        insertBatch.Parameters.AddWithValue("$run", runId);
        insertBatch.Parameters.AddWithValue("$batch", batch.BatchIndex);
        insertBatch.Parameters.AddWithValue("$first", batch.FirstSample);
        insertBatch.Parameters.AddWithValue("$count", batch.SampleCount);
        insertBatch.Parameters.AddWithValue("$windows", batch.WindowCount);
        insertBatch.Parameters.AddWithValue("$elapsed", batch.ElapsedMs);
        insertBatch.Parameters.AddWithValue("$at", StoredTime.ToText(DateTimeOffset.UtcNow));
        insertBatch.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    /// <summary>Marks the run finished, stores its corpus figures (computed from its rows) and drops its claim, in one
    /// transaction that first checks <paramref name="writer"/> still holds the run.</summary>
    /// <exception cref="RunBusyException"><paramref name="writer"/> no longer holds the run.</exception>
    public void Finish(long runId, RunWriter? writer = null)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (writer is not null)
        {
            RenewOrThrow(connection, transaction, runId, writer);
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE runs SET status = $status, finished_at = $at,
                window_count = (SELECT sum(window_count) FROM run_batches WHERE run_id = $id),
                exact_match = (SELECT 100.0 * avg(exact_match) FROM samples WHERE run_id = $id),
                f1 = (SELECT 100.0 * avg(f1) FROM samples WHERE run_id = $id),
                mean_loss = (SELECT avg(loss) FROM samples WHERE run_id = $id)
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$status", RunStatus.Finished.Label());
        command.Parameters.AddWithValue("$at", StoredTime.ToText(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
        using var release = connection.CreateCommand();
        release.Transaction = transaction;
        release.CommandText = "DELETE FROM run_claims WHERE run_id = $id";
        release.Parameters.AddWithValue("$id", runId);
        release.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>One embedding vector of a sample, or null.</summary>
    public float[]? Embedding(long runId, int sampleIndex, string kind)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vector FROM sample_embeddings WHERE run_id = $run AND sample_index = $sample AND kind = $kind";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$sample", sampleIndex);
        command.Parameters.AddWithValue("$kind", kind);
        return command.ExecuteScalar() is byte[] blob ? EmbeddingBlob.FromBytes(blob) : null;
    }

    /// <summary>Every stored embedding of <paramref name="kind"/> in sample order: the samples that have one, and their
    /// vectors as consecutive rows of <c>Dimension</c> values (0 when there are none).</summary>
    /// <exception cref="InputException">The embeddings do not share one dimension.</exception>
    public (int[] Samples, float[] Values, int Dimension) Embeddings(long runId, string kind)
    {
        var samples = new List<int>();
        var values = new List<float>();
        var dimension = 0;
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sample_index, vector FROM sample_embeddings WHERE run_id = $run AND kind = $kind ORDER BY sample_index";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$kind", kind);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var sample = reader.Int32("sample_index");
            var vector = EmbeddingBlob.FromBytes((byte[])reader.GetValue(reader.GetOrdinal("vector")));
            if (samples.Count > 0 && vector.Length != dimension)
            {
                throw new InputException($"Run {runId}: the {kind} embedding of sample {sample} has {vector.Length} values, the earlier ones {dimension}.");
            }
            dimension = vector.Length;
            samples.Add(sample);
            values.AddRange(vector);
        }
        return ([.. samples], [.. values], dimension);
    }

    private List<RunInfo> Query(string where, params (string Name, object Value)[] parameters)
    {
        using var connection = Database.Open();
        return Query(connection, null, where, parameters);
    }

    private static List<RunInfo> Query(SqliteConnection connection, SqliteTransaction? transaction, string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT id, run_key, model_path, model_sha256, data_files, preset, population, settings_json, status, created_at, finished_at,
                   sample_count, batch_count, window_count, exact_match, f1, mean_loss
            FROM runs {where}
            """;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var runs = new List<RunInfo>();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }
        return runs;
    }

    private static RunInfo ReadRun(SqliteDataReader row)
    {
        var id = row.Int64("id");
        var source = string.Create(CultureInfo.InvariantCulture, $"run {id}");
        return new RunInfo
        {
            Id = id, RunKey = row.Text("run_key"), ModelPath = row.Text("model_path"), ModelSha256 = row.Text("model_sha256"),
            DataFiles = row.Text("data_files"), Preset = row.Text("preset"), Population = row.Text("population"), SettingsJson = row.Text("settings_json"),
            Status = RunStatuses.Parse(row.Text("status"), $"{source} status"), CreatedAt = row.Time("created_at", source),
            FinishedAt = row.TimeOrNull("finished_at", source), SampleCount = row.Int32("sample_count"), BatchCount = row.Int32("batch_count"),
            WindowCount = row.Int32OrNull("window_count"), ExactMatch = row.RealOrNull("exact_match"), F1 = row.RealOrNull("f1"),
            MeanLoss = row.RealOrNull("mean_loss"),
        };
    }

    private static long Insert(SqliteConnection connection, SqliteTransaction? transaction, NewRun run)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO runs (run_key, model_path, model_sha256, data_files, preset, population, settings_json, status, created_at, sample_count, batch_count)
            VALUES ($key, $model, $sha, $data, $preset, $population, $settings, $status, $created, $samples, $batches)
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$key", run.RunKey);
        command.Parameters.AddWithValue("$model", run.ModelPath);
        command.Parameters.AddWithValue("$sha", run.ModelSha256);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(run.DataFiles));
        command.Parameters.AddWithValue("$preset", run.Preset);
        command.Parameters.AddWithValue("$population", run.Population);
        command.Parameters.AddWithValue("$settings", run.SettingsJson);
        command.Parameters.AddWithValue("$status", RunStatus.Incomplete.Label());
        command.Parameters.AddWithValue("$created", StoredTime.ToText(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$samples", run.SampleCount);
        command.Parameters.AddWithValue("$batches", run.BatchCount);
        return (long)command.ExecuteScalar()!;
    }

    private static RunClaim? ReadClaim(SqliteConnection connection, SqliteTransaction? transaction, long runId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT writer_id, host, process_id, process_start, claimed_at, heartbeat_at FROM run_claims WHERE run_id = $run";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        var source = string.Create(CultureInfo.InvariantCulture, $"claim on run {runId}");
        return new RunClaim(runId, new RunWriter(reader.Text("writer_id"), reader.Text("host"), reader.Int32("process_id"), reader.Text("process_start")),
            reader.Time("claimed_at", source), reader.Time("heartbeat_at", source));
    }

    private static bool Renew(SqliteConnection connection, SqliteTransaction? transaction, long runId, RunWriter writer)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE run_claims SET heartbeat_at = $now WHERE run_id = $run AND writer_id = $writer";
        command.Parameters.AddWithValue("$now", StoredTime.ToText(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$writer", writer.WriterId);
        return command.ExecuteNonQuery() == 1;
    }

    private void RenewOrThrow(SqliteConnection connection, SqliteTransaction transaction, long runId, RunWriter writer)
    {
        if (Renew(connection, transaction, runId, writer))
        {
            return;
        }
        var holder = ReadClaim(connection, transaction, runId);
        throw new RunBusyException(holder is null
            ? string.Create(CultureInfo.InvariantCulture, $"Run {runId} in {Database.DatabasePath} is no longer claimed by this writer ({writer.Describe()}); nothing more was written.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Run {runId} in {Database.DatabasePath} was taken over by another writer after this one ({writer.Describe()}) sent no heartbeat for " +
                $"{RunClaim.Expiry.TotalSeconds:F0} s: {holder.Describe(DateTimeOffset.UtcNow)}. The batches written so far are kept; the other writer continues the run."));
    }

    private static void AddWriter(SqliteCommand command, RunWriter writer)
    {
        command.Parameters.AddWithValue("$writer", writer.WriterId);
        command.Parameters.AddWithValue("$host", writer.Host);
        command.Parameters.AddWithValue("$pid", writer.ProcessId);
        command.Parameters.AddWithValue("$start", writer.ProcessStart);
    }
}

/// <summary>Values of <c>sample_embeddings.kind</c>.</summary>
public static class EmbeddingKinds
{
    public const string ContextMean = "context_mean";
    public const string Cls = "cls";
}

/// <summary>Embedding vectors as blobs: float32, little-endian, no header (the row holds the dimension).</summary>
public static class EmbeddingBlob
{
    public static byte[] ToBytes(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Embedding blobs are little-endian float32.");
        }
        return MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
    }

    public static float[] FromBytes(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"An embedding blob of {blob.Length} bytes is not a whole number of float32 values.", nameof(blob));
        }
        return MemoryMarshal.Cast<byte, float>(blob).ToArray();
    }
}
