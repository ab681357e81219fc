using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert analyze</c>: computes an analysis run (per-question predictions, losses, metrics, embeddings and
/// metadata) into the database, resuming an interrupted equal run and skipping a finished one unless <c>--force</c>;
/// then its latent analysis (<see cref="LatentCommand"/>, default settings but <c>--label-weights</c>) unless <c>--no-latent</c>.
/// </summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create("model folder: spiece.model with config.json + model.safetensors, or model.onnx");
        var data = new Option<string?>("--data")
        {
            Description = $"SQuAD data folder (otherwise ${SquadDataLocator.EnvironmentVariable}, otherwise {SquadDataLocator.UserDefaultDirectory}), " +
                "or one SQuAD file for --preset dev",
            HelpName = "FILE|DIR",
        };
        var preset = new Option<string>("--preset")
        {
            Description = "tensorleap: top 3 train titles / top 3 dev titles / next 3 dev titles; dev: all of dev (or of --data FILE); custom: --split",
            DefaultValueFactory = _ => PopulationPresets.DevPreset,
        };
        preset.AcceptOnlyFromAmong(PopulationPresets.TensorleapPreset, PopulationPresets.DevPreset, PopulationPresets.CustomPreset);
        var seed = new Option<ulong>("--seed") { Description = "sampling seed", DefaultValueFactory = _ => PopulationPresets.DefaultSeed };
        var splits = new Option<string[]>("--split") { Description = "custom preset split: " + SplitRequest.Syntax, AllowMultipleArgumentsPerToken = false };
        var db = DatabaseOption.Create("SQLite database to write the run into (created if missing)");
        var force = new Option<bool>("--force") { Description = "compute a new run even when an equal run already finished" };
        var defaults = new AnalysisSettings();
        var batchSize = new Option<int>("--batch-size") { Description = "windows per model call", DefaultValueFactory = _ => defaults.WindowsPerModelCall };
        var questionsPerBatch = new Option<int>("--questions-per-batch")
        {
            Description = "questions computed and committed together (the unit a killed run resumes from)", DefaultValueFactory = _ => defaults.QuestionsPerBatch,
        };
        var window = new WindowOptions();
        var maxAnswerTokens = new Option<int>("--max-answer-tokens") { Description = "longest answer in tokens", DefaultValueFactory = _ => defaults.MaxAnswerTokens };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime threads (default: all cores)" };
        var precision = PrecisionOption.Create();
        var noLatent = new Option<bool>("--no-latent") { Description = "skip the latent analysis (maps, clusters, label-error scores; see `latent`)" };
        var labelWeights = LabelWeightsOption.Create();
        var nullThreshold = NullThresholdOption.Create();
        var squadVersion = SquadVersionOption.Create();

        var command = new Command("analyze", "Compute per-question predictions, losses, metrics, embeddings and metadata into a database (resumable).")
        {
            model, data, preset, seed, splits, db, force, batchSize, questionsPerBatch, maxAnswerTokens, threads, precision, noLatent, labelWeights,
            nullThreshold, squadVersion,
        };
        window.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var modelFolder = ModelFolderOption.Resolve(parse, model);
            var windows = window.Resolve(parse, modelFolder);
            var settings = new AnalysisSettings(
                windows.MaxSeqLength, windows.DocStride, windows.MaxQueryLength, parse.GetValue(maxAnswerTokens),
                defaults.NBest, parse.GetValue(questionsPerBatch), parse.GetValue(batchSize), PrecisionOption.Resolve(parse, precision),
                parse.GetValue(nullThreshold));
            settings.Validate();
            var latentSettings = new LatentSettings { LabelWeights = LabelWeightsOption.Resolve(parse, labelWeights) };
            // --data names either the folder the preset's files are looked up in or, for the dev preset, one file.
            var dataValue = parse.GetValue(data);
            var dataFile = dataValue is not null && File.Exists(dataValue) ? Path.GetFullPath(dataValue) : null;
            var population = PopulationCommand.Request(parse.GetValue(preset)!, dataFile, parse.GetValue(seed), parse.GetValue(splits), parse.GetValue(squadVersion))
                .Draw(file => DataFolderOption.ResolveFile(parse, data, file), out var files, cancellationToken);
            if (!population.IsVersion2 && parse.GetValue(nullThreshold) is not null)
            {
                parse.InvocationConfiguration.Error.WriteLine("--null-threshold ignored: the population is SQuAD 1.1, where every question has an answer.");
            }
            var database = AppSchema.Initialize(DatabaseOption.Resolve(parse, db));
            var request = new AnalysisRequest(modelFolder, population, files, settings, parse.GetValue(force), parse.GetValue(threads));

            var stderr = parse.InvocationConfiguration.Error;
            var bar = new ProgressBar(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            var clock = Stopwatch.StartNew();
            AnalysisResult result;
            try
            {
                // Off the invoking thread: System.CommandLine only waits for a graceful stop on Ctrl+C once the action
                // has returned its task; a synchronous run would be killed mid-batch instead.
                result = await Task.Run(() => AnalysisRunner.Run(database, request, bar, cancellationToken), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                bar.Close();
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stopped: {bar.Last.SamplesDone:N0} of {bar.Last.SamplesTotal:N0} questions are saved; the same command resumes the run."));
                throw;
            }
            bar.Close();

            var run = new RunStore(database).Find(result.RunId)!;
            var storedSettings = System.Text.Json.JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)!;
            var squad2 = "";
            if (storedSettings.NullThreshold is { } threshold)
            {
                squad2 = string.Create(CultureInfo.InvariantCulture, $" (SQuAD 2.0, null threshold {threshold}");
                if (RunNoAnswerSamples.Load(database, run.Id) is { } samples)
                {
                    var at = NoAnswerThresholdCurve.At(samples, threshold);
                    squad2 += string.Create(CultureInfo.InvariantCulture,
                        $": HasAns EM {at.HasAnsExact:F2} F1 {at.HasAnsF1:F2} of {at.HasAnsTotal:N0}, NoAns EM {at.NoAnsExact:F2} of {at.NoAnsTotal:N0}, {at.Abstentions:N0} abstentions");
                }
                squad2 += ")";
            }
            var what = result.Outcome switch
            {
                AnalysisOutcome.AlreadyFinished => "already finished, nothing computed (--force computes a new run)",
                AnalysisOutcome.Resumed => $"resumed: {result.BatchesComputed} batches computed, {result.BatchesSkipped} kept",
                _ => $"computed: {result.BatchesComputed} batches",
            };
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run.Id} {what} in {clock.Elapsed.TotalSeconds:F1} s: {run.SampleCount:N0} questions, {run.WindowCount:N0} windows, " +
                $"EM {run.ExactMatch:F2}, F1 {run.F1:F2}{squad2}, mean loss {run.MeanLoss:F4} -> {database.DatabasePath}"));
            if (!parse.GetValue(noLatent))
            {
                await LatentCommand.Execute(parse, database, run.Id, latentSettings, cancellationToken);
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Run progress on stderr: a bar redrawn in place on a terminal; otherwise one line per 10 % or 10 s, so logs stay short.
    /// </summary>
    private sealed class ProgressBar(TextWriter writer, bool interactive) : IProgress<AnalysisProgress>
    {
        private const int Width = 30;
        private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
        private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
        private double _lastFraction = -1;
        private bool _drawn;

        /// <summary>The latest report: what is committed when a run stops.</summary>
        public AnalysisProgress Last { get; private set; }

        public void Report(AnalysisProgress value)
        {
            Last = value;
            var filled = (int)Math.Round(value.Fraction * Width);
            var eta = value.Remaining is { } remaining ? remaining.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
            var text = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('.', Width - filled)}] {100 * value.Fraction,5:F1}% {value.SamplesDone:N0}/{value.SamplesTotal:N0} questions, " +
                $"{value.SamplesPerSecond:F1}/s, ETA {eta}");
            if (interactive)
            {
                writer.Write("\r" + text);
                _drawn = true;
            }
            else if (value.Fraction >= _lastFraction + 0.1 || _sinceLine.Elapsed >= LogInterval || value.SamplesDone == value.SamplesTotal)
            {
                writer.WriteLine(text);
                _lastFraction = value.Fraction;
                _sinceLine.Restart();
            }
        }

        public void Close()
        {
            if (_drawn)
            {
                writer.WriteLine();
            }
        }
    }
}
