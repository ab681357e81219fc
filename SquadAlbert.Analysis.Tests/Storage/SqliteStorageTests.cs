using System.Globalization;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Storage;

public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("squad-albert-storage-").FullName;

    private string DatabasePath => Path.Combine(_folder, "nested", "folder", "squad-albert.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_fresh_database_is_created_with_its_folder_at_the_latest_version()
    {
        var factory = AppSchema.Initialize(DatabasePath);

        Assert.True(File.Exists(DatabasePath));
        using var connection = factory.Open();
        Assert.Equal(AppSchema.Migrations.Count, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'app_meta'"));
        var appliedAt = (string)Scalar(connection, "SELECT applied_at FROM schema_version WHERE version = 1")!;
        Assert.True(DateTimeOffset.TryParse(appliedAt, CultureInfo.InvariantCulture, out _), appliedAt);
    }

    [Fact]
    public void Reopening_applies_nothing_twice()
    {
        AppSchema.Initialize(DatabasePath);
        var factory = AppSchema.Initialize(DatabasePath);

        using var connection = factory.Open();
        Assert.Equal((long)AppSchema.Migrations.Count, Scalar(connection, "SELECT count(*) FROM schema_version"));
        Assert.Equal(AppSchema.Migrations.Count, new SchemaMigrator(AppSchema.Migrations).Migrate(connection));
    }

    [Fact]
    public void A_failing_migration_rolls_back_and_keeps_the_previous_version()
    {
        var factory = new SqliteConnectionFactory(DatabasePath);
        var first = SchemaMigration.FromSql(1, "one", "CREATE TABLE one (id INTEGER PRIMARY KEY)");
        var failing = new SchemaMigration(2, "two, broken", (connection, transaction) =>
        {
            Exec(connection, "CREATE TABLE two (id INTEGER PRIMARY KEY)", transaction);
            Exec(connection, "INSERT INTO one (id) VALUES (1)", transaction);
            Exec(connection, "INSERT INTO no_such_table VALUES (1)", transaction);
        });
        using var connection = factory.Open();

        Assert.Throws<SqliteException>(() => new SchemaMigrator([first, failing]).Migrate(connection));

        Assert.Equal(1, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'two'"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM one"));

        var fixedSecond = SchemaMigration.FromSql(2, "two", "CREATE TABLE two (id INTEGER PRIMARY KEY)");
        Assert.Equal(2, new SchemaMigrator([first, fixedSecond]).Migrate(connection));
    }

    [Fact]
    public void A_database_from_a_newer_version_is_refused()
    {
        var factory = new SqliteConnectionFactory(DatabasePath);
        var one = SchemaMigration.FromSql(1, "one", "CREATE TABLE one (id INTEGER PRIMARY KEY)");
        var two = SchemaMigration.FromSql(2, "two", "CREATE TABLE two (id INTEGER PRIMARY KEY)");
        using var connection = factory.Open();
        new SchemaMigrator([one, two]).Migrate(connection);

        var error = Assert.Throws<InputException>(() => new SchemaMigrator([one]).Migrate(connection));

        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("versions up to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Migration_versions_must_be_consecutive_from_one()
    {
        var one = SchemaMigration.FromSql(1, "one", "SELECT 1");
        var three = SchemaMigration.FromSql(3, "three", "SELECT 1");
        Assert.Throws<ArgumentException>(() => new SchemaMigrator([one, three]));
        Assert.Throws<ArgumentException>(() => new SchemaMigrator([three]));
    }

    [Fact]
    public async Task Connections_use_wal_foreign_keys_and_the_busy_timeout()
    {
        var factory = new SqliteConnectionFactory(DatabasePath, TimeSpan.FromMilliseconds(1500));
        await using var connection = await factory.OpenAsync();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
        Assert.Equal(1500L, Scalar(connection, "PRAGMA busy_timeout"));
    }

    [Fact]
    public void A_busy_timeout_of_zero_is_refused_because_the_driver_would_wait_forever()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteConnectionFactory(DatabasePath, TimeSpan.Zero));
    }

    [Fact]
    public void A_reader_sees_committed_data_while_a_writer_holds_a_transaction()
    {
        var factory = AppSchema.Initialize(DatabasePath);
        using var writer = factory.Open();
        using var reader = factory.Open();
        Exec(writer, "INSERT INTO app_meta (key, value) VALUES ('created_by', 'test')");

        using (var transaction = writer.BeginTransaction())
        {
            Exec(writer, "INSERT INTO app_meta (key, value) VALUES ('pending', 'x')", transaction);

            // WAL: the reader neither waits for the writer nor sees its uncommitted row.
            Assert.Equal(1L, Scalar(reader, "SELECT count(*) FROM app_meta"));
            transaction.Commit();
        }

        Assert.Equal(2L, Scalar(reader, "SELECT count(*) FROM app_meta"));
    }

    [Fact]
    public void A_second_writer_gets_busy_after_the_timeout_while_the_first_holds_the_lock()
    {
        var factory = AppSchema.Initialize(DatabasePath, TimeSpan.FromMilliseconds(50));
        using var first = factory.Open();
        using var second = factory.Open();

        using var transaction = first.BeginTransaction();
        Exec(first, "INSERT INTO app_meta (key, value) VALUES ('a', '1')", transaction);

        var error = Assert.Throws<SqliteException>(() => Exec(second, "INSERT INTO app_meta (key, value) VALUES ('b', '2')"));
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
    }

    private static void Exec(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
