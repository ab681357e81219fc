using Microsoft.Extensions.Options;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Dashboard.Hosting;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>
/// The run database the dashboard reads and writes (<c>SQUADALBERT_DB</c>, else <see cref="SquadAlbertSettings.Database"/>,
/// else the per-user file the CLI also uses), migrated once at first use. Connections are cheap (WAL); open one per query.
/// </summary>
public sealed class RunDatabase
{
    private readonly Lazy<SqliteConnectionFactory> _factory;

    public RunDatabase(IOptions<SquadAlbertSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Setting = RunDatabaseLocator.Resolve(null, settings.Value.Database);
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
