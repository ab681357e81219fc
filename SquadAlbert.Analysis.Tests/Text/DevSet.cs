using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>The dev-v1.1 paragraphs and the tokenizer model the tokenizer tests run on.</summary>
internal static class DevSet
{
    private static readonly Lazy<IReadOnlyList<SquadParagraph>> Cached = new(() => Load(TestPaths.DevV11));

    public static IReadOnlyList<SquadParagraph> Paragraphs => Cached.Value;

    public static string OurModel => Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");

    private static IReadOnlyList<SquadParagraph> Load(string path)
    {
        var dataset = SquadLoader.Load(path);
        // The tests count every dev question; a rejected one would silently shrink what they cover.
        Assert.True(dataset.Validation.IsClean, dataset.ValidationWarning);
        return SquadParagraph.Group(dataset.Examples);
    }
}
