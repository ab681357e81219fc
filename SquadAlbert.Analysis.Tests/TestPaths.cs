namespace SquadAlbert.Analysis.Tests;

/// <summary>
/// Locates the repository and the shared SQuAD folder. CI and developers keep SQuAD in
/// <c>../shared/data/squad</c> beside the clone; <c>SQUADALBERT_DATA</c> overrides that.
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SquadDir { get; } =
        Environment.GetEnvironmentVariable("SQUADALBERT_DATA") is { Length: > 0 } env
            ? Path.GetFullPath(env)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "squad"));

    public static string DevV11 => Squad("dev-v1.1.json");
    public static string TrainV11 => Squad("train-v1.1.json");
    public static string DevV20 => Squad("dev-v2.0.json");

    /// <summary>Hand-written fixtures copied next to the test assembly.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string Squad(string file)
    {
        var path = Path.Combine(SquadDir, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"SQuAD file '{path}' not found: put the shared data beside the clone (../shared/data/squad) or set SQUADALBERT_DATA.", path);
        }
        return path;
    }

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
