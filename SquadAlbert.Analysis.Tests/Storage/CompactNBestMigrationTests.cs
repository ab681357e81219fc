using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Storage;

/// <summary>Migration 6 on a database as version 5 left it: n-best lists lose the fields nothing read, keep the others to
/// the character, and <c>prediction_window</c> is gone.</summary>
public sealed class CompactNBestMigrationTests : IDisposable
{
    /// <summary>What <c>SampleAnalyzer</c> wrote before migration 6: every field, non-ASCII escaped, 16-17 digit doubles.</summary>
    private const string Version5NBest =
        """[{"text":"Rollo\u2019s \"men\"","start":0,"end":13,"window":1,"start_token":5,"end_token":9,"score":10.856385231018066,"probability":0.5887757484480662},""" +
        """{"text":"1648","start":20,"end":24,"window":0,"start_token":30,"end_token":30,"score":-0.0015,"probability":0.41122425155193383}]""";

    private const string CompactNBest =
        """[{"text":"Rollo\u2019s \"men\"","start":0,"end":13,"probability":0.5887757484480662},""" +
        """{"text":"1648","start":20,"end":24,"probability":0.41122425155193383}]""";

    private readonly string _folder = Directory.CreateTempSubdirectory("squad-albert-migration-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Version_5_rows_keep_text_span_and_probability_as_written_and_lose_the_rest()
    {
        var path = Path.Combine(_folder, "v5.db");
        var factory = new SqliteConnectionFactory(path);
        using (var connection = factory.Open())
        {
            new SchemaMigrator([.. AppSchema.Migrations.Take(5)]).Migrate(connection);
            Exec(connection, """
                INSERT INTO runs (id, run_key, model_path, model_sha256, data_files, preset, population, settings_json, status, created_at,
                                  sample_count, batch_count)
                VALUES (1, 'k', 'm', 's', '[]', 'dev', 'p', '{}', 'finished', '2025-01-01T00:00:00.000Z', 2, 1)
                """);
            InsertSample(connection, 0, Version5NBest, predictionWindow: 1);
            InsertSample(connection, 1, "[]", predictionWindow: null);
        }

        var migrated = AppSchema.Initialize(path);

        using var reader = migrated.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT nbest_json FROM samples ORDER BY sample_index";
        using (var rows = command.ExecuteReader())
        {
            Assert.True(rows.Read());
            Assert.Equal(CompactNBest, rows.GetString(0));
            Assert.True(rows.Read());
            Assert.Equal("[]", rows.GetString(0));
        }
        Assert.Equal(
            [new NBestEntry("Rollo’s \"men\"", 0, 13, 0.5887757484480662), new NBestEntry("1648", 20, 24, 0.41122425155193383)],
            NBestEntry.ParseJson(CompactNBest, "test"));
        command.CommandText = "SELECT count(*) FROM pragma_table_info('samples') WHERE name = 'prediction_window'";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    /// <summary>A samples row with every NOT NULL column filled by a placeholder of its type.</summary>
    private static void InsertSample(SqliteConnection connection, int index, string nBestJson, int? predictionWindow)
    {
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name, type FROM pragma_table_info('samples') WHERE \"notnull\" = 1";
            using var rows = info.ExecuteReader();
            while (rows.Read())
            {
                columns.Add(rows.GetString(0));
            }
        }
        columns.Add("prediction_window");
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO samples ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        foreach (var column in columns)
        {
            insert.Parameters.AddWithValue("$" + column, column switch
            {
                "run_id" => 1,
                "sample_index" => index,
                "nbest_json" => nBestJson,
                "prediction_window" => (object?)predictionWindow ?? DBNull.Value,
                _ => Placeholder(connection, column),
            });
        }
        insert.ExecuteNonQuery();
    }

    private static object Placeholder(SqliteConnection connection, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type FROM pragma_table_info('samples') WHERE name = $name";
        command.Parameters.AddWithValue("$name", column);
        return (string)command.ExecuteScalar()! switch
        {
            "TEXT" => "x",
            "REAL" => 0.5,
            _ => 0,
        };
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
