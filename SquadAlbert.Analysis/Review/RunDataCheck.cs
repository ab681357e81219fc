using System.Globalization;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Review;

/// <summary>
/// Whether the data files a run names still hold the questions it analysed. Exports re-read those files and apply the
/// review by question id; if a file was edited since the analysis, the decisions (made on the stored text) would land on
/// other text without anyone noticing.
/// </summary>
public static class RunDataCheck
{
    /// <summary>Null when every analysed question is in <paramref name="dataFiles"/> with the title, question, context and
    /// gold answers the run stored; otherwise the first difference, where it is, and how many questions differ.</summary>
    /// <exception cref="InputException">A data file is missing or not SQuAD.</exception>
    public static string? Changed(long runId, IReadOnlyList<RunSample> samples, IReadOnlyList<string> dataFiles)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(dataFiles);
        var examples = new Dictionary<string, (SquadExample Example, string File)>(StringComparer.Ordinal);
        foreach (var file in dataFiles)
        {
            foreach (var example in SquadLoader.Load(file).Examples)
            {
                examples.TryAdd(example.Id, (example, file));
            }
        }
        string? first = null;
        var differing = 0;
        foreach (var sample in samples)
        {
            var difference = !examples.TryGetValue(sample.ExampleId, out var found)
                ? $"question '{sample.ExampleId}' (sample {sample.SampleIndex}) is in none of the run's data files ({string.Join(", ", dataFiles)})"
                : Difference(sample, found.Example) is { } field
                    ? $"{found.File}: question '{sample.ExampleId}' (article {found.Example.Location.ArticleIndex}, paragraph " +
                      $"{found.Example.Location.ParagraphIndex}, question {found.Example.Location.QuestionIndex}) has another {field} than sample {sample.SampleIndex}"
                    : null;
            if (difference is not null)
            {
                differing++;
                first ??= difference;
            }
        }
        return first is null
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"The data changed since run {runId} was analysed: {first}; {differing:N0} of its {samples.Count:N0} questions differ. " +
                $"Restore the file the run analysed, or analyse the new file to review it.");
    }

    private static string? Difference(RunSample sample, SquadExample example)
    {
        if (!string.Equals(sample.Context, example.Context, StringComparison.Ordinal))
        {
            return "context";
        }
        if (!string.Equals(sample.Question, example.Question, StringComparison.Ordinal))
        {
            return "question text";
        }
        if (!string.Equals(sample.Title, example.Title, StringComparison.Ordinal))
        {
            return "title";
        }
        var answers = example.Answers.Select(a => new GoldAnswer(a.Text, a.AnswerStart));
        return sample.GoldAnswers.SequenceEqual(answers) ? null : "set of gold answers";
    }
}
