using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert latent</c>: the latent analysis of a finished run (PCA and UMAP maps, k-means and HDBSCAN clusters,
/// label-error scores), resuming at the first unfinished stage unless <c>--force</c>.
/// </summary>
public static class LatentCommand
{
    public static Command Create()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = RunOption.Create();
        var defaults = new LatentSettings();
        var k = new Option<int>("--k") { Description = "k-means clusters (fewer for tiny runs: at most one per 5 samples)", DefaultValueFactory = _ => defaults.ClusterCount };
        var minClusterSize = new Option<int>("--min-cluster-size")
        {
            Description = "smallest HDBSCAN cluster on the UMAP map", DefaultValueFactory = _ => defaults.MinClusterSize,
        };
        var force = new Option<bool>("--force") { Description = "recompute every stage, even those finished with the same settings" };
        var labelWeights = LabelWeightsOption.Create();
        var command = new Command("latent", "Map (UMAP, PCA), cluster (k-means, HDBSCAN) and score label errors of a finished run (resumable).")
        {
            db, run, k, minClusterSize, force, labelWeights,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = RunOption.OpenDatabase("latent", parse, db);
            var target = RunOption.Resolve(database, parse.GetValue(run));
            var settings = defaults with
            {
                ClusterCount = parse.GetValue(k), MinClusterSize = parse.GetValue(minClusterSize), Force = parse.GetValue(force),
                LabelWeights = LabelWeightsOption.Resolve(parse, labelWeights),
            };
            await Execute(parse, database, target.Id, settings, cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the latent analysis with a progress bar on stderr and prints one line per stage on stdout.</summary>
    internal static async Task Execute(ParseResult parse, SqliteConnectionFactory database, long runId, LatentSettings settings, CancellationToken cancellationToken)
    {
        settings.Validate();
        var stderr = parse.InvocationConfiguration.Error;
        var bar = new LatentProgressBar(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
        var clock = Stopwatch.StartNew();
        LatentResult result;
        try
        {
            // Off the invoking thread, so that Ctrl+C cancels between UMAP epochs instead of killing the process.
            result = await Task.Run(() => LatentAnalyzer.Run(database, runId, settings, bar, cancellationToken), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            bar.Close();
            stderr.WriteLine($"stopped during {bar.Last.Stage}: finished stages are saved; the same command resumes.");
            throw;
        }
        bar.Close();
        var output = parse.InvocationConfiguration.Output;
        foreach (var stage in result.Stages)
        {
            output.WriteLine($"  {stage.Stage,-13}{(stage.Skipped ? "kept" : "computed"),-9}{Describe(stage)}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latent analysis of run {runId}: {result.Stages.Count(s => !s.Skipped)} stages computed, {result.Stages.Count(s => s.Skipped)} kept, " +
            $"in {clock.Elapsed.TotalSeconds:F1} s -> {database.DatabasePath}"));
    }

    /// <summary>The headline figures of a stage's result_json.</summary>
    private static string Describe(LatentStageOutcome stage)
    {
        using var document = JsonDocument.Parse(stage.ResultJson);
        var root = document.RootElement;
        string Number(string name, string format) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble().ToString(format, CultureInfo.InvariantCulture)
                : "n/a";
        string Percent(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble().ToString("P1", CultureInfo.InvariantCulture)
                : "n/a";
        return stage.Stage switch
        {
            LatentStages.Pca => $"trustworthiness {Number("trustworthiness", "F3")}",
            LatentStages.Umap => $"trustworthiness {Number("trustworthiness", "F3")} (PCA {Number("pca_trustworthiness", "F3")}), " +
                                 $"k {Number("trustworthiness_k", "F0")} on {Number("trustworthiness_points", "N0")} points",
            LatentStages.KMeans => $"{Number("clusters", "F0")} clusters",
            LatentStages.Hdbscan => $"{Number("clusters", "F0")} clusters, {Number("noise_points", "N0")} noise points",
            _ => $"mean score {Number("mean_score", "F3")}, probably wrong {Percent("probably_wrong_share")}, ambiguous {Percent("ambiguous_share")}",
        };
    }

    /// <summary>Latent progress on stderr: a bar redrawn in place on a terminal; otherwise one line per stage.</summary>
    private sealed class LatentProgressBar(TextWriter writer, bool interactive) : IProgress<LatentProgress>
    {
        private const int Width = 30;
        private string? _loggedStage;
        private bool _drawn;

        public LatentProgress Last { get; private set; }

        public void Report(LatentProgress value)
        {
            Last = value;
            var filled = (int)Math.Round(value.Fraction * Width);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"[{new string('#', filled)}{new string('.', Width - filled)}] {100 * value.Fraction,5:F1}% stage {value.StageIndex + 1}/{value.StageCount} " +
                $"{value.Stage}{(value.Skipped ? " (kept)" : "")} {100 * value.StageFraction,3:F0}%   ");
            if (interactive)
            {
                writer.Write("\r" + text);
                _drawn = true;
            }
            else if (value.Stage != _loggedStage || (value.StageFraction >= 1 && value.StageIndex == value.StageCount - 1))
            {
                writer.WriteLine(text.TrimEnd());
                _loggedStage = value.Stage;
            }
        }

        public void Close()
        {
            if (_drawn)
            {
                writer.WriteLine();
                _drawn = false;
            }
        }
    }
}
