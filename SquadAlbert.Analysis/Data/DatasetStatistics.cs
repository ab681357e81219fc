namespace SquadAlbert.Analysis.Data;

/// <summary>Mean and median of a length, in characters and in whitespace-separated words.</summary>
public sealed record LengthSummary(double MeanCharacters, double MedianCharacters, double MeanWords, double MedianWords);

/// <summary>How many questions one title has.</summary>
public sealed record TitleCount(string Title, int Questions);

/// <summary>How many questions have exactly <see cref="Answers"/> gold answers.</summary>
public sealed record AnswerCountBucket(int Answers, int Questions);

/// <summary>
/// Summary of a set of SQuAD questions from one file. Articles and paragraphs are counted from the questions'
/// locations, so they count those with at least one question in the set. Context lengths are taken once per
/// paragraph, question lengths once per question.
/// </summary>
public sealed record DatasetStatistics(
    int Articles,
    int Paragraphs,
    int Questions,
    int Answers,
    int UniqueContexts,
    int ImpossibleQuestions,
    IReadOnlyList<TitleCount> TopTitles,
    LengthSummary QuestionLength,
    LengthSummary ContextLength,
    IReadOnlyList<AnswerCountBucket> AnswersPerQuestion)
{
    public const int DefaultTopTitles = 10;

    public static DatasetStatistics Compute(IReadOnlyCollection<SquadExample> examples, int topTitles = DefaultTopTitles)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegative(topTitles);
        var articles = new HashSet<int>();
        var contexts = new HashSet<string>(StringComparer.Ordinal);
        var answerBuckets = new SortedDictionary<int, int>();
        var questionChars = new List<int>(examples.Count);
        var questionWords = new List<int>(examples.Count);
        var answers = 0;
        var impossible = 0;
        foreach (var example in examples)
        {
            articles.Add(example.Location.ArticleIndex);
            contexts.Add(example.Context);
            answers += example.Answers.Count;
            impossible += example.IsImpossible ? 1 : 0;
            answerBuckets[example.Answers.Count] = answerBuckets.GetValueOrDefault(example.Answers.Count) + 1;
            questionChars.Add(example.Question.Length);
            questionWords.Add(CountWords(example.Question));
        }
        var paragraphs = SquadParagraph.Group(examples);
        var contextChars = paragraphs.Select(p => p.Context.Length).ToList();
        var contextWords = paragraphs.Select(p => CountWords(p.Context)).ToList();
        return new DatasetStatistics(
            articles.Count,
            paragraphs.Count,
            examples.Count,
            answers,
            contexts.Count,
            impossible,
            RankTitles(examples).Take(topTitles).ToList(),
            Summarize(questionChars, questionWords),
            Summarize(contextChars, contextWords),
            answerBuckets.Select(b => new AnswerCountBucket(b.Key, b.Value)).ToList());
    }

    /// <summary>
    /// Titles by question count, most first; equal counts in ordinal title order so the ranking never depends
    /// on file order or culture. Population presets pick titles with this same ranking.
    /// </summary>
    public static IReadOnlyList<TitleCount> RankTitles(IEnumerable<SquadExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples
            .GroupBy(e => e.Title, StringComparer.Ordinal)
            .Select(g => new TitleCount(g.Key, g.Count()))
            .OrderByDescending(t => t.Questions)
            .ThenBy(t => t.Title, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Words are maximal runs of non-whitespace characters.</summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                words++;
            }
            inWord = !isSpace;
        }
        return words;
    }

    private static LengthSummary Summarize(List<int> characters, List<int> words) =>
        new(Mean(characters), Median(characters), Mean(words), Median(words));

    private static double Mean(List<int> values) => values.Count == 0 ? 0 : values.Average();

    /// <summary>Middle value; the mean of the two middle values for an even count; 0 for none.</summary>
    private static double Median(List<int> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }
}
