using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// Brings a database up to the latest of an ordered list of migrations. Each pending migration runs in its own
/// write transaction together with its <c>schema_version</c> row, so it is applied exactly once or not at all,
/// even when several processes open the same database at the same time.
/// </summary>
public sealed class SchemaMigrator
{
    private readonly IReadOnlyList<SchemaMigration> _migrations;

    /// <exception cref="ArgumentException">Versions are not 1, 2, 3, ... in order.</exception>
    public SchemaMigrator(IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException(
                    $"Migration at position {i} has version {migrations[i].Version}; versions must be 1, 2, 3, ... in order.", nameof(migrations));
            }
        }
        _migrations = migrations;
    }

    /// <summary>The version the migrations lead to.</summary>
    public int LatestVersion => _migrations.Count;

    /// <summary>The highest applied version; 0 for a database without a <c>schema_version</c> table.</summary>
    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Applies every pending migration in order and returns the resulting version.</summary>
    /// <exception cref="InputException">The database's version is newer than <see cref="LatestVersion"/>.</exception>
    public int Migrate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var initial = CurrentVersion(connection);
        EnsureNotNewer(connection, initial);
        if (initial == LatestVersion)
        {
            // The common case on every start: no write lock taken.
            return initial;
        }
        foreach (var migration in _migrations)
        {
            // BEGIN IMMEDIATE takes the write lock first, so the version read below cannot go stale.
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = CurrentVersion(connection, transaction);
            EnsureNotNewer(connection, current);
            if (current >= migration.Version)
            {
                continue;
            }
            Execute(connection, transaction,
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
            migration.Apply(connection, transaction);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $appliedAt)";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$description", migration.Description);
                record.Parameters.AddWithValue("$appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return CurrentVersion(connection);
    }

    private void EnsureNotNewer(SqliteConnection connection, int current)
    {
        if (current > LatestVersion)
        {
            throw new InputException(
                $"Database '{connection.DataSource}' has schema version {current}, but this SquadAlbert knows versions up to {LatestVersion}: " +
                "it was written by a newer SquadAlbert. Upgrade SquadAlbert or use another database file.");
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
