using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert validate [FILE]</c>: loads a SQuAD file, prints its counts and validation problems, exits 1
/// when there are problems. <c>--repeat N</c> times N further loads after the first (which warms up the JIT).
/// </summary>
public static class ValidateCommand
{
    public const int ProblemsFound = 1;

    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "SQuAD JSON file: a path, or a bare name looked up in the data folder",
            DefaultValueFactory = _ => SquadFiles.DevV11,
        };
        var data = DataFolderOption.Create();
        var maxProblems = new Option<int>("--max-problems") { Description = "How many problems to list", DefaultValueFactory = _ => 20 };
        var repeat = new Option<int>("--repeat") { Description = "Time this many further loads after a warm-up load", DefaultValueFactory = _ => 0 };
        var stats = new Option<bool>("--stats") { Description = "Also print dataset statistics" };
        var command = new Command("validate", "Check a SQuAD v1.1/v2.0 file and report every problem with its position") { file, data, maxProblems, repeat, stats };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var path = DataFolderOption.ResolveFile(parseResult, data, parseResult.GetValue(file)!);
            var clock = Stopwatch.StartNew();
            var dataset = SquadLoader.Load(path);
            var firstLoad = clock.Elapsed;
            Print(output, dataset, firstLoad, Math.Max(0, parseResult.GetValue(maxProblems)));
            if (parseResult.GetValue(stats))
            {
                PrintStatistics(output, DatasetStatistics.Compute(dataset.Examples));
            }
            var repeats = parseResult.GetValue(repeat);
            if (repeats > 0)
            {
                PrintTimings(output, path, repeats);
            }
            return dataset.Validation.IsClean ? 0 : ProblemsFound;
        });
        return command;
    }

    private static void Print(TextWriter output, SquadDataset dataset, TimeSpan loadTime, int maxProblems)
    {
        var report = dataset.Validation;
        var i = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(i, $"file:        {dataset.SourcePath}"));
        output.WriteLine(string.Create(i, $"version:     {dataset.Version ?? "(none)"}"));
        output.WriteLine(string.Create(i, $"articles:    {dataset.ArticleCount:N0}"));
        output.WriteLine(string.Create(i, $"paragraphs:  {dataset.ParagraphCount:N0}"));
        output.WriteLine(string.Create(i, $"questions:   {report.QuestionsRead:N0} read, {dataset.Examples.Count:N0} kept, {report.QuestionsRejected:N0} rejected"));
        output.WriteLine(string.Create(i, $"answers:     {dataset.Examples.Sum(e => e.Answers.Count):N0} (kept questions)"));
        output.WriteLine(string.Create(i, $"impossible:  {dataset.Examples.Count(e => e.IsImpossible):N0}"));
        output.WriteLine(string.Create(i, $"loaded in:   {loadTime.TotalMilliseconds:F0} ms (first load, includes JIT)"));
        output.WriteLine(string.Create(i, $"problems:    {report.Problems.Count:N0}"));
        foreach (var problem in report.Problems.Take(maxProblems))
        {
            output.WriteLine("  " + problem);
        }
        if (report.Problems.Count > maxProblems)
        {
            output.WriteLine(string.Create(i, $"  ... {report.Problems.Count - maxProblems:N0} more (--max-problems to list them)"));
        }
    }

    private static void PrintStatistics(TextWriter output, DatasetStatistics stats)
    {
        var i = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(i, $"statistics:  {stats.Articles:N0} articles, {stats.Paragraphs:N0} paragraphs, {stats.Questions:N0} questions, {stats.Answers:N0} answers, {stats.UniqueContexts:N0} unique contexts, {stats.ImpossibleQuestions:N0} impossible"));
        output.WriteLine(string.Create(i, $"  question length: mean {stats.QuestionLength.MeanCharacters:F1} / median {stats.QuestionLength.MedianCharacters:F1} chars, mean {stats.QuestionLength.MeanWords:F1} / median {stats.QuestionLength.MedianWords:F1} words"));
        output.WriteLine(string.Create(i, $"  context length:  mean {stats.ContextLength.MeanCharacters:F1} / median {stats.ContextLength.MedianCharacters:F1} chars, mean {stats.ContextLength.MeanWords:F1} / median {stats.ContextLength.MedianWords:F1} words"));
        output.WriteLine("  answers per question: " + string.Join(", ", stats.AnswersPerQuestion.Select(b => string.Create(i, $"{b.Answers}: {b.Questions:N0}"))));
        output.WriteLine("  top titles: " + string.Join(", ", stats.TopTitles.Select(t => string.Create(i, $"{t.Title} ({t.Questions:N0})"))));
    }

    /// <summary>Wall and CPU time per load; CPU time shows the cost even when other processes share the cores.</summary>
    private static void PrintTimings(TextWriter output, string path, int repeats)
    {
        var process = Process.GetCurrentProcess();
        var wall = new List<double>(repeats);
        var cpu = new List<double>(repeats);
        for (var run = 0; run < repeats; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            _ = SquadLoader.Load(path);
            wall.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        wall.Sort();
        cpu.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timing:      {repeats} loads after warm-up: wall min {wall[0]:F0} / median {wall[repeats / 2]:F0} / max {wall[^1]:F0} ms; process CPU min {cpu[0]:F0} / median {cpu[repeats / 2]:F0} ms"));
    }
}
