namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// The SquadAlbert database schema as an ordered list of migrations. To change the schema, append one
/// <see cref="SchemaMigration"/> with the next version; never edit or reorder one that has shipped.
/// </summary>
public static class AppSchema
{
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        SchemaMigration.FromSql(1, "app_meta: key/value facts about this database",
            """
            CREATE TABLE app_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;
            """),
    ];

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>, upgrades it to the latest
    /// schema, and returns the factory for its connections.</summary>
    /// <exception cref="InputException">The database was written by a newer SquadAlbert.</exception>
    public static SqliteConnectionFactory Initialize(string databasePath, TimeSpan? busyTimeout = null)
    {
        var factory = new SqliteConnectionFactory(databasePath, busyTimeout);
        using var connection = factory.Open();
        new SchemaMigrator(Migrations).Migrate(connection);
        return factory;
    }
}
