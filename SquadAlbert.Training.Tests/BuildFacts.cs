using System.Reflection;

namespace SquadAlbert.Training.Tests;

/// <summary>Paths the build recorded in this assembly.</summary>
internal static class BuildFacts
{
    public static string UnpatchedLibTorchSharp => Metadata("UnpatchedLibTorchSharp");

    public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));

    public static string PatchScript => Path.Combine(RepoRoot, "scripts", "elf_weaken_glibcxx.py");

    public static string TokenizerModel => Path.Combine(RepoRoot, "models", "tokenizer", "spiece.model");

    private static string Metadata(string key) =>
        typeof(BuildFacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
