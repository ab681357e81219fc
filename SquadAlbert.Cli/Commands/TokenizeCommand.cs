using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert tokenize</c>: shows how a question and context become model windows (every token with the
/// original characters behind it), or measures tokenizer throughput over a SQuAD file.
/// </summary>
public static class TokenizeCommand
{
    // Shows the original text readably (quotes and non-ASCII as they are) yet on one line.
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model folder (ALBERT or BERT), or an ALBERT spiece.model file", Required = true };
        var question = new Option<string?>("--question") { Description = "question to tokenize (with --context)" };
        var context = new Option<string?>("--context") { Description = "context to tokenize (with --question)" };
        var data = new Option<FileInfo?>("--data") { Description = "SQuAD JSON file: measure tokens/s over all its contexts and questions" };
        var limit = new Option<int?>("--limit") { Description = "with --data: use only the first N texts" };
        var maxSeqLength = new Option<int>("--max-seq-length") { Description = "tokens per window", DefaultValueFactory = _ => QaFeaturizerOptions.Default.MaxSeqLength };
        var docStride = new Option<int>("--doc-stride") { Description = "context tokens shared by consecutive windows (Hugging Face stride)", DefaultValueFactory = _ => QaFeaturizerOptions.Default.DocStride };
        var maxQueryLength = new Option<int>("--max-query-length") { Description = "question tokens kept", DefaultValueFactory = _ => QaFeaturizerOptions.Default.MaxQueryLength };

        var command = new Command("tokenize", "Tokenize a question and context into model windows, or measure tokenizer throughput on a SQuAD file.")
        {
            model, question, context, data, limit, maxSeqLength, docStride, maxQueryLength,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var modelPath = parse.GetRequiredValue(model);
            ISubwordTokenizer tokenizer = Directory.Exists(modelPath) ? ModelTokenizer.Load(modelPath) : AlbertTokenizer.Load(modelPath);
            if (parse.GetValue(data) is { } dataFile)
            {
                MeasureThroughput(tokenizer, dataFile.FullName, parse.GetValue(limit), output, parse.InvocationConfiguration.Error);
                return 0;
            }
            if (parse.GetValue(question) is not { } questionText || parse.GetValue(context) is not { } contextText)
            {
                throw new InputException("tokenize: give --question and --context, or --data FILE");
            }
            var options = new QaFeaturizerOptions(parse.GetValue(maxSeqLength), parse.GetValue(docStride), parse.GetValue(maxQueryLength));
            var example = new SquadExample("cli", "", contextText, questionText, [], IsImpossible: true, new SquadLocation(0, 0, 0));
            PrintWindows(tokenizer, new QaFeaturizer(tokenizer, options).Featurize(example, 0), questionText, contextText, output);
            return 0;
        });
        return command;
    }

    private static void PrintWindows(ISubwordTokenizer tokenizer, IReadOnlyList<QaWindow> windows, string question, string context, TextWriter output)
    {
        foreach (var window in windows)
        {
            output.WriteLine($"window {window.WindowIndex}: {window.Length} tokens");
            for (var i = 0; i < window.Length; i++)
            {
                var span = window.Spans[i];
                var source = window.Sources[i] switch
                {
                    TokenSource.Question => question,
                    TokenSource.Context => context,
                    _ => "",
                };
                var text = source.Length == 0 ? "" : source[span.Start..span.End];
                output.WriteLine($"{i,5} {window.InputIds[i],6} {tokenizer.PieceOf(window.InputIds[i]),-18} {window.Sources[i],-8} {window.TokenTypeIds[i]} [{span.Start},{span.End}) {JsonSerializer.Serialize(text, OneLine)}");
            }
        }
    }

    private static void MeasureThroughput(ISubwordTokenizer tokenizer, string path, int? limit, TextWriter output, TextWriter error)
    {
        var dataset = SquadLoader.Load(path);
        if (dataset.ValidationWarning is { } rejected)
        {
            error.WriteLine(rejected);
        }
        // Each paragraph's context once, then its questions: what featurizing the file tokenizes.
        var texts = SquadParagraph.Group(dataset.Examples).SelectMany(p => p.Texts).ToList();
        if (limit is { } n)
        {
            texts = texts.Take(Math.Max(0, n)).ToList();
        }
        foreach (var text in texts.Take(200))
        {
            tokenizer.Tokenize(text); // warm-up: JIT and the decomposition cache
        }
        long tokens = 0, chars = 0;
        var clock = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            tokens += tokenizer.Tokenize(text).Count;
            chars += text.Length;
        }
        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"texts {texts.Count}, chars {chars}, tokens {tokens}, seconds {seconds:F3}, " +
                         $"tokens/s {tokens / seconds:F0}, chars/s {chars / seconds:F0} (one thread)");
    }
}
