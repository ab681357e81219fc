namespace SquadAlbert.Analysis.Configuration;

/// <summary>
/// Finds the QA model folder: <c>--model</c>, else <c>SQUADALBERT_MODEL</c>, else <c>SquadAlbert:ModelDirectory</c>,
/// else the model shipped in the repository (<c>models/minilm-squad</c>), looked up from the program's folder
/// and the working directory upwards so that <c>dotnet run</c> from any project finds it without copying 45 MB of
/// weights into every build output.
/// </summary>
public static class DefaultModelLocator
{
    public const string EnvironmentVariable = "SQUADALBERT_MODEL";
    public const string ConfigurationKey = "SquadAlbert:ModelDirectory";
    public static readonly string ShippedModelRelativePath = Path.Combine("models", "minilm-squad");

    public static ResolvedSetting Resolve(string? commandLine, string? configured = null, Func<string, string?>? readEnvironment = null) =>
        LayeredSetting.Resolve(commandLine, "--model", EnvironmentVariable, configured, ConfigurationKey,
            () => FindShippedModel([AppContext.BaseDirectory, Directory.GetCurrentDirectory()]), "shipped model (models/minilm-squad)", readEnvironment);

    /// <summary>The first <c>models/minilm-squad</c> holding a <c>config.json</c> in or above one of <paramref name="startFolders"/>.</summary>
    public static string? FindShippedModel(IEnumerable<string> startFolders)
    {
        ArgumentNullException.ThrowIfNull(startFolders);
        foreach (var start in startFolders)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, ShippedModelRelativePath);
                if (File.Exists(Path.Combine(candidate, "config.json")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
