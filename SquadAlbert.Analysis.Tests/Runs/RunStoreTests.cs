using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class RunStoreTests
{
    [Fact]
    public void A_run_row_written_before_the_typed_record_reads_with_its_status_and_times()
    {
        var database = RunFixture.NewDatabase();
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            // Exactly what a database of an earlier SquadAlbert holds: status and times as text.
            command.CommandText = """
                INSERT INTO runs (id, run_key, model_path, model_sha256, data_files, preset, population, settings_json, status, created_at,
                                  finished_at, sample_count, batch_count, window_count, exact_match, f1, mean_loss)
                VALUES (7, 'key', '/models/a', 'sha', '["/data/dev.json"]', 'dev', 'all of dev', '{}', 'finished', '2025-03-04T05:06:07.089Z',
                        '2025-03-04T06:00:00.000Z', 10, 2, 12, 80.0, 85.5, 1.25)
                """;
            command.ExecuteNonQuery();
        }

        var run = new RunStore(database).Find(7)!;

        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.True(run.IsFinished);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero), run.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 6, 0, 0, TimeSpan.Zero), run.FinishedAt);
        Assert.Equal(("key", "/models/a", "dev", "all of dev", 10, 2), (run.RunKey, run.ModelPath, run.Preset, run.Population, run.SampleCount, run.BatchCount));
        Assert.Equal((12, 80.0, 85.5, 1.25), (run.WindowCount, run.ExactMatch, run.F1, run.MeanLoss));
        Assert.Equal(["/data/dev.json"], RunSummaries.DataFiles(run));
    }

    [Fact]
    public void A_new_run_is_stored_incomplete_with_its_data_files_and_a_creation_time_in_the_stored_format()
    {
        var database = RunFixture.NewDatabase();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var store = new RunStore(database);

        var id = store.CreateRun(new NewRun("key", "/m", "sha", ["/data/a.json", "/data/b.json"], "custom", "two files", "{}", SampleCount: 5, BatchCount: 1));

        var run = store.Find(id)!;
        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Null(run.FinishedAt);
        Assert.InRange(run.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(["/data/a.json", "/data/b.json"], RunSummaries.DataFiles(run));
        Assert.Null(run.WindowCount);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status || ' ' || created_at FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Matches(@"^incomplete \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)command.ExecuteScalar()!);
    }

    [Fact]
    public void Stored_times_are_utc_text_with_milliseconds_and_read_back_exactly()
    {
        var time = new DateTimeOffset(2026, 1, 2, 15, 4, 5, 678, TimeSpan.FromHours(2));

        Assert.Equal("2026-01-02T13:04:05.678Z", StoredTime.ToText(time));
        Assert.Equal(time, StoredTime.Parse("2026-01-02T13:04:05.678Z", "test"));
        Assert.Equal(time, StoredTime.AsStored(time.AddTicks(9_999)));
        Assert.Contains("run 3 created_at", Assert.Throws<InputException>(() => StoredTime.Parse("yesterday", "run 3 created_at")).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Run_statuses_are_stored_as_their_words()
    {
        Assert.Equal(("incomplete", "finished"), (RunStatus.Incomplete.Label(), RunStatus.Finished.Label()));
        Assert.Equal(RunStatus.Finished, RunStatuses.Parse("finished", "test"));
        Assert.Throws<InputException>(() => RunStatuses.Parse("Finished", "test"));
    }
}
