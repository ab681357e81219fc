namespace SquadAlbert.Analysis.Configuration;

/// <summary>
/// Finds the SQLite database holding analysis runs: <c>--db</c>, else <c>SQUADALBERT_DB</c>, else
/// <c>SquadAlbert:Database</c>, else a per-user file, so the CLI and the dashboard see the same runs by default.
/// </summary>
public static class RunDatabaseLocator
{
    public const string EnvironmentVariable = "SQUADALBERT_DB";
    public const string ConfigurationKey = "SquadAlbert:Database";

    public static string UserDefaultPath { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "squad-albert", "runs.db");

    public static ResolvedSetting Resolve(string? commandLine, string? configured = null, Func<string, string?>? readEnvironment = null) =>
        LayeredSetting.Resolve(commandLine, "--db", EnvironmentVariable, configured, ConfigurationKey,
            () => UserDefaultPath, "per-user database", readEnvironment);
}
