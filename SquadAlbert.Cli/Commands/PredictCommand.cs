using System.CommandLine;
using SquadAlbert.Cli;
using System.Diagnostics;
using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert predict</c>: answers every question of a SQuAD file with the model of a folder and writes
/// <c>{id: answer_text}</c>, the format of the official SQuAD evaluation script. On a SQuAD 2.0 file the answer is
/// <c>""</c> where the null answer wins (<see cref="QaPostProcessingOptions.NullThreshold"/>, from <c>--null-threshold</c>,
/// else the model folder's <see cref="ModelNullThreshold"/>, else 0.0); <c>--null-odds-out</c> writes each question's
/// null score − best span score, which <c>evaluate --na-prob-file</c> reads.
/// </summary>
public static class PredictCommand
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var model = ModelFolderOption.Create("model folder: spiece.model with config.json + model.safetensors (Hugging Face), or model.onnx");
        var data = new Option<FileInfo>("--data") { Description = "SQuAD JSON file with the questions", Required = true };
        var limit = new Option<int?>("--limit") { Description = "answer only the first N questions" };
        var output = new Option<FileInfo>("--out") { Description = "predictions JSON to write ({id: answer})", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "windows per model call", DefaultValueFactory = _ => 32 };
        var window = new WindowOptions();
        var maxAnswerTokens = new Option<int>("--max-answer-tokens") { Description = "longest answer in tokens", DefaultValueFactory = _ => 30 };
        var precision = PrecisionOption.Create();
        var nullThreshold = NullThresholdOption.Create();
        var nullOdds = new Option<FileInfo?>("--null-odds-out")
        {
            Description = "SQuAD 2.0 only: also write {id: null score - best span score} (Hugging Face's null_odds.json), for evaluate --na-prob-file",
        };

        var command = new Command("predict", "Answer the questions of a SQuAD file with an ALBERT or BERT model on ONNX Runtime (\"\" for no answer on SQuAD 2.0).")
        {
            model, data, limit, output, batchSize, maxAnswerTokens, precision, nullThreshold, nullOdds,
        };
        window.AddTo(command);
        command.SetAction(CliRunner.Cancellable((parse, cancellationToken) =>
        {
            var folder = ModelFolderOption.Resolve(parse, model);
            if (parse.GetValue(batchSize) < 1)
            {
                throw new InputException($"predict: --batch-size must be at least 1, got {parse.GetValue(batchSize)}.");
            }
            var dataset = SquadLoader.Load(parse.GetRequiredValue(data).FullName);
            var stderr = parse.InvocationConfiguration.Error;
            var threshold = NullThresholdOption.ForDataset(parse, nullThreshold, folder, dataset, stderr.WriteLine);
            if (parse.GetValue(nullOdds) is not null && threshold is null)
            {
                throw new InputException($"predict: --null-odds-out goes with a SQuAD 2.0 file; {dataset.SourcePath} is {dataset.VersionName}.");
            }
            var examples = parse.GetValue(limit) is { } n ? dataset.Examples.Take(Math.Max(0, n)).ToList() : dataset.Examples.ToList();
            var options = window.Resolve(parse, folder);
            var arithmetic = PrecisionOption.Resolve(parse, precision);
            using var pipeline = QaPipeline.Open(folder, options, precision: arithmetic, cancellationToken: cancellationToken);

            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            var progress = new SynchronousProgress(p =>
            {
                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10) || p.WindowsDone == p.WindowsTotal)
                {
                    lastReport = clock.Elapsed;
                    stderr.WriteLine($"windows {p.WindowsDone}/{p.WindowsTotal} ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            });
            var result = pipeline.Answer(
                examples, new QaRunOptions(parse.GetValue(batchSize)), new QaPostProcessingOptions(MaxAnswerTokens: parse.GetValue(maxAnswerTokens), NullThreshold: threshold),
                progress, cancellationToken);
            var predictions = result.Predictions;

            var answers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prediction in predictions)
            {
                answers[prediction.ExampleId] = prediction.Text;
            }
            var outputPath = parse.GetRequiredValue(output).FullName;
            File.WriteAllText(outputPath, JsonSerializer.Serialize(answers, Indented));
            if (parse.GetValue(nullOdds) is { } oddsFile)
            {
                // Hugging Face's score_diff: with no span the null answer is the best "non-null" one too, so 0.
                var odds = string.Join(",\n", predictions.Select(p =>
                    $"  {JsonSerializer.Serialize(p.ExampleId, Indented)}: {PythonFloat.Repr(p.NullScoreDiff ?? 0.0)}"));
                File.WriteAllText(oddsFile.FullName, "{\n" + odds + "\n}");
            }
            var abstained = threshold is { } t
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {predictions.Count(p => p.IsNoAnswer)} without an answer (null threshold {t})")
                : "";
            parse.InvocationConfiguration.Output.WriteLine(
                $"answered {predictions.Count} questions ({result.Windows.Count} windows, {arithmetic.Name()}{abstained}) in {clock.Elapsed.TotalSeconds:F1} s " +
                $"({result.Windows.Count / clock.Elapsed.TotalSeconds:F1} windows/s) -> {outputPath}");
            return 0;
        }));
        return command;
    }

    private sealed class SynchronousProgress(Action<QaRunProgress> report) : IProgress<QaRunProgress>
    {
        public void Report(QaRunProgress value) => report(value);
    }
}
