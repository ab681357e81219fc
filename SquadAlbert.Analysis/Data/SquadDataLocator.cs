namespace SquadAlbert.Analysis.Data;

/// <summary>Where the data folder setting came from, in the order they are consulted.</summary>
public enum DataDirectorySource
{
    CommandLine,
    EnvironmentVariable,
    Configuration,
    UserDefault,
}

/// <summary>One place the data folder can be set; <see cref="Value"/> is null when it was not set.</summary>
public sealed record DataDirectoryCandidate(DataDirectorySource Source, string? Value)
{
    public string Label => Source switch
    {
        DataDirectorySource.CommandLine => "--data",
        DataDirectorySource.EnvironmentVariable => SquadDataLocator.EnvironmentVariable,
        DataDirectorySource.Configuration => SquadDataLocator.ConfigurationKey,
        _ => "per-user default",
    };

    public override string ToString() => $"{Label} ({Value ?? "not set"})";
}

/// <summary>The resolved data folder and every candidate that was considered, for messages.</summary>
public sealed record SquadDataDirectory(string Path, DataDirectorySource Source, IReadOnlyList<DataDirectoryCandidate> Candidates)
{
    /// <summary>Full path of <paramref name="fileName"/> in this folder; an <see cref="InputException"/> saying where it looked when absent.</summary>
    public string FindFile(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var path = System.IO.Path.Combine(Path, fileName);
        if (System.IO.File.Exists(path))
        {
            return path;
        }
        var chosen = Candidates.First(c => c.Source == Source);
        throw new InputException(
            $"SQuAD file '{fileName}' not found: looked in '{Path}' (from {chosen.Label}). " +
            $"The data folder is the first of: {string.Join(", ", Candidates)}. " +
            "Run 'squad-albert download' or point one of these at a folder holding the file.");
    }
}

/// <summary>
/// Finds the SQuAD data folder: an explicit <c>--data DIR</c>, else the <c>SQUADALBERT_DATA</c> environment
/// variable, else the <c>SquadAlbert:DataDirectory</c> configuration value (the caller reads its own
/// configuration and passes the string, keeping this library free of hosting packages), else a per-user folder.
/// The first one set wins even if the file is missing there: silently falling back to another folder would
/// hide a typo.
/// </summary>
public static class SquadDataLocator
{
    public const string EnvironmentVariable = "SQUADALBERT_DATA";
    public const string ConfigurationKey = "SquadAlbert:DataDirectory";

    public static string UserDefaultDirectory { get; } =
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "squad-albert", "data");

    /// <param name="commandLineDirectory">The <c>--data</c> value, or null.</param>
    /// <param name="configuredDirectory">The <c>SquadAlbert:DataDirectory</c> configuration value, or null.</param>
    /// <param name="readEnvironment">Reads an environment variable; tests pass their own, null means the process environment.</param>
    public static SquadDataDirectory Resolve(string? commandLineDirectory, string? configuredDirectory = null, Func<string, string?>? readEnvironment = null)
    {
        readEnvironment ??= Environment.GetEnvironmentVariable;
        DataDirectoryCandidate[] candidates =
        [
            new(DataDirectorySource.CommandLine, SetOrNull(commandLineDirectory)),
            new(DataDirectorySource.EnvironmentVariable, SetOrNull(readEnvironment(EnvironmentVariable))),
            new(DataDirectorySource.Configuration, SetOrNull(configuredDirectory)),
            new(DataDirectorySource.UserDefault, UserDefaultDirectory),
        ];
        var chosen = candidates.First(c => c.Value is not null);
        return new SquadDataDirectory(System.IO.Path.GetFullPath(chosen.Value!), chosen.Source, candidates);
    }

    private static string? SetOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
