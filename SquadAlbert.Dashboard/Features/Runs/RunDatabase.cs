using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// The run database the dashboard reads and writes (<c>SQUADALBERT_DB</c>, else <c>SquadAlbert:Database</c>, else the
/// per-user file the CLI also uses), migrated once at first use. Connections are cheap (WAL); open one per query.
/// </summary>
public sealed class RunDatabase
{
    private readonly Lazy<SqliteConnectionFactory> _factory;

    public RunDatabase(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[RunDatabaseLocator.ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured) && !Path.IsPathRooted(configured))
        {
            configured = Path.Combine(contentRoot, configured);
        }
        Setting = RunDatabaseLocator.Resolve(null, configured);
        _factory = new Lazy<SqliteConnectionFactory>(() =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Setting.Path)!);
            return AppSchema.Initialize(Setting.Path);
        });
    }

    /// <summary>The database file and which setting chose it.</summary>
    public ResolvedSetting Setting { get; }

    public SqliteConnectionFactory Connections => _factory.Value;

    public RunStore Runs => new(Connections);
}
