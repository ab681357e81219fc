namespace SquadAlbert.Analysis.Configuration;

/// <summary>Where a path setting came from, in the order the layers are consulted.</summary>
public enum SettingSource
{
    CommandLine,
    EnvironmentVariable,
    Configuration,
    Default,
}

/// <summary>A resolved path setting, with the layer it came from (for messages such as "model from SQUADALBERT_MODEL").</summary>
public sealed record ResolvedSetting(string Path, SettingSource Source, string Label);

/// <summary>
/// Resolves a path the way every SquadAlbert entry point does: the command-line value, else an environment
/// variable, else the application's configuration value (callers read their own configuration and pass the
/// string, keeping the library free of hosting packages), else a default. The first layer that is set wins.
/// </summary>
public static class LayeredSetting
{
    public static ResolvedSetting Resolve(
        string? commandLine, string commandLineLabel,
        string environmentVariable, string? configured, string configurationKey,
        Func<string?> fallback, string fallbackLabel,
        Func<string, string?>? readEnvironment = null)
    {
        readEnvironment ??= Environment.GetEnvironmentVariable;
        if (SetOrNull(commandLine) is { } cli)
        {
            return new ResolvedSetting(Path.GetFullPath(cli), SettingSource.CommandLine, commandLineLabel);
        }
        if (SetOrNull(readEnvironment(environmentVariable)) is { } env)
        {
            return new ResolvedSetting(Path.GetFullPath(env), SettingSource.EnvironmentVariable, environmentVariable);
        }
        if (SetOrNull(configured) is { } config)
        {
            return new ResolvedSetting(Path.GetFullPath(config), SettingSource.Configuration, configurationKey);
        }
        var fallbackPath = fallback() ?? throw new InputException(
            $"No {fallbackLabel} found: pass {commandLineLabel}, set {environmentVariable}, or set {configurationKey}.");
        return new ResolvedSetting(Path.GetFullPath(fallbackPath), SettingSource.Default, fallbackLabel);
    }

    private static string? SetOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
