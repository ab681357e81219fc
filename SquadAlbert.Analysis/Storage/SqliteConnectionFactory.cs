using Microsoft.Data.Sqlite;

namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// Opens connections to one SQLite database file, all configured the same way: write-ahead logging (readers
/// never wait for the writer), foreign keys enforced, and a busy timeout so a second writer waits instead of failing.
/// </summary>
public sealed class SqliteConnectionFactory
{
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly long _busyTimeoutMs;

    /// <param name="databasePath">The database file; it and its folder are created on first open.</param>
    /// <param name="busyTimeout">How long a statement waits for another connection's write lock (more than zero); 30 s if null.</param>
    public SqliteConnectionFactory(string databasePath, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        var timeout = busyTimeout ?? DefaultBusyTimeout;
        // Microsoft.Data.Sqlite reads a command timeout of 0 as "wait forever": a zero busy timeout cannot be honoured.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(busyTimeout));
        _busyTimeoutMs = (long)timeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries busy statements until the command timeout; keep it in step with SQLite's.
            DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>An open, configured connection; the caller disposes it.</summary>
    public SqliteConnection Open()
    {
        CreateFolder();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>An open, configured connection; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        CreateFolder();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // WAL is stored in the file, but setting it on every open is cheap and covers files created elsewhere.
    private string Pragmas => $"PRAGMA journal_mode = WAL; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA foreign_keys = ON;";

    private void CreateFolder()
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
