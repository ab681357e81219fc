using Microsoft.Data.Sqlite;

namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// One forward-only schema change. <see cref="Apply"/> runs inside the migrator's transaction: every command it
/// creates must use the given transaction, and it must not commit or roll back itself.
/// </summary>
/// <param name="Version">1 for the first migration, then consecutive.</param>
/// <param name="Description">What the migration adds, recorded in <c>schema_version</c>.</param>
/// <param name="Apply">The change.</param>
public sealed record SchemaMigration(int Version, string Description, Action<SqliteConnection, SqliteTransaction> Apply)
{
    /// <summary>A migration that is one SQL script (several statements allowed).</summary>
    public static SchemaMigration FromSql(int version, string description, string sql) =>
        new(version, description, (connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        });
}
