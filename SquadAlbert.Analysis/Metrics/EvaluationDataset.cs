using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// A minimal SQuAD reader for the evaluate command, written while the shared loader in <c>Data/</c> was being
/// built in parallel. Replace its one caller with the shared loader once both are merged.
/// </summary>
internal static class EvaluationDataset
{
    /// <summary>The dataset's "version" field (null when absent) and its questions in file order.</summary>
    public static (string? Version, IReadOnlyList<SquadExample> Examples) Read(string path)
    {
        using var document = JsonInput.Parse(path, "Dataset");
        var root = JsonInput.Expect(document.RootElement, JsonValueKind.Object, path, "$");
        var version = root.TryGetProperty("version", out _)
            ? JsonInput.Property(root, "version", JsonValueKind.String, path, "$").GetString()
            : null;
        var examples = new List<SquadExample>();
        var articleIndex = 0;
        foreach (var article in JsonInput.Property(root, "data", JsonValueKind.Array, path, "$").EnumerateArray())
        {
            var articlePath = Index("$.data", articleIndex);
            JsonInput.Expect(article, JsonValueKind.Object, path, articlePath);
            var title = JsonInput.Property(article, "title", JsonValueKind.String, path, articlePath).GetString()!;
            var paragraphIndex = 0;
            foreach (var paragraph in JsonInput.Property(article, "paragraphs", JsonValueKind.Array, path, articlePath).EnumerateArray())
            {
                var paragraphPath = Index(articlePath + ".paragraphs", paragraphIndex);
                JsonInput.Expect(paragraph, JsonValueKind.Object, path, paragraphPath);
                var context = JsonInput.Property(paragraph, "context", JsonValueKind.String, path, paragraphPath).GetString()!;
                var questionIndex = 0;
                foreach (var qa in JsonInput.Property(paragraph, "qas", JsonValueKind.Array, path, paragraphPath).EnumerateArray())
                {
                    var qaPath = Index(paragraphPath + ".qas", questionIndex);
                    JsonInput.Expect(qa, JsonValueKind.Object, path, qaPath);
                    examples.Add(new SquadExample(
                        JsonInput.Property(qa, "id", JsonValueKind.String, path, qaPath).GetString()!,
                        title,
                        context,
                        JsonInput.Property(qa, "question", JsonValueKind.String, path, qaPath).GetString()!,
                        ReadAnswers(qa, path, qaPath),
                        qa.TryGetProperty("is_impossible", out var impossible) && impossible.ValueKind == JsonValueKind.True,
                        new SquadLocation(articleIndex, paragraphIndex, questionIndex)));
                    questionIndex++;
                }
                paragraphIndex++;
            }
            articleIndex++;
        }
        return (version, examples);
    }

    private static SquadAnswer[] ReadAnswers(JsonElement qa, string path, string qaPath)
    {
        var answers = new List<SquadAnswer>();
        var answerIndex = 0;
        foreach (var answer in JsonInput.Property(qa, "answers", JsonValueKind.Array, path, qaPath).EnumerateArray())
        {
            var answerPath = Index(qaPath + ".answers", answerIndex++);
            JsonInput.Expect(answer, JsonValueKind.Object, path, answerPath);
            var text = JsonInput.Property(answer, "text", JsonValueKind.String, path, answerPath).GetString()!;
            var start = JsonInput.Property(answer, "answer_start", JsonValueKind.Number, path, answerPath);
            if (!start.TryGetInt32(out var answerStart))
            {
                throw new InputException($"'{path}': {answerPath}.answer_start must be an integer, found {start.GetRawText()}.");
            }
            answers.Add(new SquadAnswer(text, answerStart));
        }
        return [.. answers];
    }

    private static string Index(string arrayPath, int index) => string.Create(CultureInfo.InvariantCulture, $"{arrayPath}[{index}]");
}
