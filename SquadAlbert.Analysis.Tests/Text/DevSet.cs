using System.Text.Json;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>
/// The dev-v1.1 paragraphs, read straight with System.Text.Json so tokenizer tests do not depend on the data loader.
/// </summary>
internal sealed record DevParagraph(string Context, IReadOnlyList<DevQuestion> Questions);

internal sealed record DevQuestion(string Id, string Question, IReadOnlyList<(string Text, int Start)> Answers);

internal static class DevSet
{
    private static readonly Lazy<IReadOnlyList<DevParagraph>> Cached = new(() => Read(TestPaths.DevV11));

    public static IReadOnlyList<DevParagraph> Paragraphs => Cached.Value;

    public static string OurModel => Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");

    private static List<DevParagraph> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var paragraphs = new List<DevParagraph>();
        foreach (var article in document.RootElement.GetProperty("data").EnumerateArray())
        {
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                var questions = paragraph.GetProperty("qas").EnumerateArray()
                    .Select(qa => new DevQuestion(
                        qa.GetProperty("id").GetString()!,
                        qa.GetProperty("question").GetString()!,
                        qa.GetProperty("answers").EnumerateArray()
                            .Select(a => (a.GetProperty("text").GetString()!, a.GetProperty("answer_start").GetInt32()))
                            .ToList()))
                    .ToList();
                paragraphs.Add(new DevParagraph(paragraph.GetProperty("context").GetString()!, questions));
            }
        }
        return paragraphs;
    }
}
