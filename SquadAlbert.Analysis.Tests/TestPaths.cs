using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests;

/// <summary>
/// Locates the repository and the shared SQuAD folder. CI and developers keep SQuAD in
/// <c>../shared/data/squad</c> beside the clone; <c>SQUADALBERT_DATA</c> overrides that, as it does for the CLI.
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static SquadDataDirectory SquadData { get; } =
        SquadDataLocator.Resolve(commandLineDirectory: null, configuredDirectory: Path.Combine(RepoRoot, "..", "shared", "data", "squad"));

    public static string SquadDir => SquadData.Path;

    public static string DevV11 => SquadData.FindFile(SquadFiles.DevV11);
    public static string TrainV11 => SquadData.FindFile(SquadFiles.TrainV11);
    public static string DevV20 => SquadData.FindFile(SquadFiles.DevV20);

    /// <summary>Hand-written fixtures copied next to the test assembly.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SquadAlbert.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("SquadAlbert.sln not found above " + AppContext.BaseDirectory);
    }
}
