using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert label-noise corrupt|fit|report</c>: plant label errors in a SQuAD file (see <see cref="LabelNoisePlanter"/>),
/// learn the label-error score's weights from a run of it (see <see cref="LabelNoiseFit"/>), and measure how well a run's
/// scores find them (see <see cref="LabelNoiseEvaluation"/>).
/// </summary>
public static class LabelNoiseCommand
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // ROC AUC is NaN for a group without negatives (every question planted).
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create() => new("label-noise", "Plant label errors in a SQuAD file, learn the label-error score from them, and measure how well it finds them.")
    {
        Corrupt(),
        Fit(),
        Report(),
    };

    private static Command Corrupt()
    {
        var file = new Argument<string>("file")
        {
            Description = "SQuAD v1.1 file to corrupt: a path, or a bare name looked up in the data folder",
            DefaultValueFactory = _ => SquadFiles.DevV11,
        };
        var data = DataFolderOption.Create();
        var output = new Option<FileInfo>("--out") { Description = "corrupted SQuAD file to write", Required = true, HelpName = "FILE" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest to write (default: the --out file with .manifest.json)", HelpName = "FILE" };
        var rate = new Option<double>("--rate") { Description = "share of the questions corrupted in each way", DefaultValueFactory = _ => LabelNoiseRates.Default };
        var kindRates = Enum.GetValues<LabelNoiseKind>().ToDictionary(
            kind => kind,
            kind => new Option<double?>($"--{LabelNoisePlanter.Name(kind)}-rate") { Description = $"share corrupted as {LabelNoisePlanter.Name(kind)} (default: --rate)" });
        var seed = new Option<ulong>("--seed") { Description = "seed: the same seed and file give the same output", DefaultValueFactory = _ => 1 };
        var command = new Command("corrupt", "Write a copy of a SQuAD file with planted label errors (moved, shifted, swapped, disagreeing) and a manifest of them.")
        {
            file, data, output, manifest, rate, seed,
        };
        foreach (var option in kindRates.Values)
        {
            command.Options.Add(option);
        }
        command.SetAction(parse =>
        {
            var source = DataFolderOption.ResolveFile(parse, data, parse.GetValue(file)!);
            var outputPath = parse.GetValue(output)!.FullName;
            var manifestPath = parse.GetValue(manifest)?.FullName ?? Path.ChangeExtension(outputPath, ".manifest.json");
            if (string.Equals(Path.GetFullPath(source), outputPath, StringComparison.Ordinal) || string.Equals(outputPath, manifestPath, StringComparison.Ordinal))
            {
                throw new InputException($"label-noise corrupt: --out {outputPath} must differ from the source file and the manifest.");
            }
            var all = parse.GetValue(rate);
            double Rate(LabelNoiseKind kind) => parse.GetValue(kindRates[kind]) ?? all;
            var rates = new LabelNoiseRates(Rate(LabelNoiseKind.Moved), Rate(LabelNoiseKind.Shifted), Rate(LabelNoiseKind.Swapped), Rate(LabelNoiseKind.Disagreeing));
            var seedValue = parse.GetValue(seed);

            var (plan, corrupted) = LabelNoisePlanter.PlantInFile(source, rates, seedValue);
            WriteNew(outputPath, corrupted);
            WriteNew(manifestPath, System.Text.Encoding.UTF8.GetBytes(LabelNoiseManifest.From(plan, rates, seedValue, source, outputPath).ToJson()));

            var console = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            console.WriteLine(string.Create(c, $"{plan.Corruptions.Count} of {plan.Questions} questions corrupted (seed {seedValue}):"));
            foreach (var kind in Enum.GetValues<LabelNoiseKind>())
            {
                var shortfall = plan.Planted(kind) < plan.Wanted[kind] ? $" (wanted {plan.Wanted[kind]}: too few questions allow it)" : "";
                console.WriteLine(string.Create(c, $"  {LabelNoisePlanter.Name(kind),-12} {plan.Planted(kind),6}{shortfall}"));
            }
            console.WriteLine($"corrupted file: {outputPath}");
            console.WriteLine($"manifest:       {manifestPath}");
            return 0;
        });
        return command;
    }

    private static Command Fit()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = new Option<long[]>("--run")
        {
            Description = "scored run of a corrupted file to fit on (default: the latest finished run); repeat it to fit on several runs of one model, " +
                          "e.g. train-side questions and dev questions of other titles",
            HelpName = "ID", AllowMultipleArgumentsPerToken = false,
        };
        var manifest = new Option<FileInfo[]>("--manifest")
        {
            Description = "manifest written by `label-noise corrupt`: its errors are the positives; repeat it for a run drawn from several corrupted files",
            Required = true, HelpName = "FILE", AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<FileInfo>("--out") { Description = "weights file to write (for `latent --label-weights`)", Required = true, HelpName = "FILE" };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty on the standardised features' coefficients", DefaultValueFactory = _ => LabelNoiseFit.DefaultL2 };
        var command = new Command("fit", "Fit the learned label-error score (logistic regression) on a scored run of a corrupted file and write its weights.")
        {
            db, run, manifest, output, l2,
        };
        command.SetAction(parse =>
        {
            var database = RunOption.OpenDatabase("label-noise fit", parse, db);
            var runIds = parse.GetValue(run) is { Length: > 0 } ids ? ids.Select(id => (long?)id).ToList() : [null];
            var targets = runIds.Select(id => RunOption.Resolve(database, id)).DistinctBy(r => r.Id).ToList();
            var manifests = parse.GetValue(manifest)!.Select(file => (LabelNoiseManifest.Load(file.FullName), file.FullName)).ToList();
            var outputPath = parse.GetValue(output)!.FullName;
            var store = new LatentStore(database);
            var weights = LabelNoiseFit.Fit(database.DatabasePath, [.. targets.Select(r => (r, store.LabelScores(r.Id)))], manifests,
                parse.GetValue(l2), DateTimeOffset.UtcNow);
            WriteNew(outputPath, System.Text.Encoding.UTF8.GetBytes(weights.ToJson() + "\n"));

            var console = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            var provenance = weights.Provenance;
            console.WriteLine(string.Create(c,
                $"fitted on run {string.Join(" + ", targets.Select(r => r.Id))}: {provenance.Samples} questions, {provenance.Positives} planted, {provenance.Negatives} clean; " +
                $"{provenance.Iterations} Newton steps{(provenance.Converged ? "" : " (NOT converged)")}, L2 {provenance.L2}"));
            console.WriteLine("planted per kind: " + string.Join(", ", provenance.PositivesByKind.Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
            foreach (var definition in LabelErrorHeads.All.Where(d => weights.Heads.All(h => h.Name != d.Name)))
            {
                console.WriteLine($"head '{definition.Name}' not fitted: no {string.Join("/", definition.Kinds.Select(LabelNoisePlanter.Name))} error was planted in the runs.");
            }
            foreach (var head in weights.Heads)
            {
                console.WriteLine(string.Create(c, $"head '{head.Name}' (positives: {string.Join(", ", head.Kinds)}; share of the score {head.Share:0.###}):"));
                console.WriteLine("| feature | mean | scale | coefficient |");
                console.WriteLine("|---|---:|---:|---:|");
                foreach (var feature in head.Features)
                {
                    console.WriteLine(string.Create(c, $"| {feature.Name} | {feature.Mean:F4} | {feature.Scale:F4} | {feature.Coefficient:F4} |"));
                }
                console.WriteLine(string.Create(c, $"| (intercept) | | | {head.Intercept:F4} |"));
            }
            console.WriteLine($"weights: {outputPath}");
            console.WriteLine($"score a run with them: squad-albert latent --db {database.DatabasePath} --run ID --label-weights {outputPath}");
            return 0;
        });
        return command;
    }

    private static Command Report()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = RunOption.Create();
        var manifest = new Option<FileInfo>("--manifest") { Description = "manifest written by `label-noise corrupt`", Required = true, HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var exclude = new Option<long?>("--exclude-questions-of")
        {
            Description = "leave out the questions that this run holds too (e.g. the run of dev questions a fit used), so the report measures only questions the weights never saw",
            HelpName = "RUN",
        };
        var excludeDb = new Option<FileInfo>("--exclude-db")
        {
            Description = "the database holding the --exclude-questions-of run (default: --db), e.g. the fit's database",
            HelpName = "FILE",
        };
        var command = new Command("report", "Rank a run of a corrupted file by each label-error score and baseline; ROC AUC, AP, precision@k and recall@k per kind.")
        {
            db, run, manifest, json, exclude, excludeDb,
        };
        command.SetAction(parse =>
        {
            var database = RunOption.OpenDatabase("label-noise report", parse, db);
            var target = RunOption.Resolve(database, parse.GetValue(run));
            var manifestPath = parse.GetValue(manifest)!.FullName;
            var store = new LatentStore(database);
            var samples = store.LabelScores(target.Id);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(exclude) is { } excludedRun)
            {
                var excludedDatabase = parse.GetValue(excludeDb) is not null ? RunOption.OpenDatabase("label-noise report", parse, excludeDb) : database;
                var seen = new LatentStore(excludedDatabase).LabelScores(RunOption.Resolve(excludedDatabase, excludedRun).Id)
                    .Select(s => s.ExampleId).ToHashSet(StringComparer.Ordinal);
                var kept = samples.Where(s => !seen.Contains(s.ExampleId)).ToList();
                if (kept.Count == 0)
                {
                    throw new InputException($"run {excludedRun} holds every question of run {target.Id}: nothing is left to measure.");
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Left out the {samples.Count - kept.Count} questions of run {target.Id} that run {excludedRun} holds too; the manifest's errors among them count as not in the run."));
                samples = kept;
            }
            var report = LabelNoiseEvaluation.Evaluate(target.Id, samples, LabelNoiseManifest.Load(manifestPath), manifestPath,
                store.LabelWeightsUsedBy(target.Id));
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, ReportJson));
            }
            else
            {
                WriteMarkdown(output, report);
            }
            return 0;
        });
        return command;
    }

    private static void WriteMarkdown(TextWriter output, LabelNoiseReport report)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Label-error detection, run {report.RunId}: {report.Samples} questions, {report.Negatives} uncorrupted (the negatives of every row); k = planted errors of the kind."));
        if (report.ScoredWith is { } weights)
        {
            output.WriteLine($"The learned score used the weights: {weights.Description}");
        }
        if (report.InSample)
        {
            output.WriteLine("WARNING: those weights were fitted on this very manifest, so the learned score's rows are in-sample (optimistic); " +
                             "fit on another corruption (seed, file) to measure it.");
        }
        if (report.MissingIds.Count > 0)
        {
            output.WriteLine(string.Create(c, $"{report.MissingIds.Count} corrupted question(s) of the manifest are not in the run (first: {report.MissingIds[0]})."));
        }
        output.WriteLine();
        output.WriteLine("| kind | k | detector | role | ROC AUC | AP | precision@k | recall@k |");
        output.WriteLine("|---|---:|---|---|---:|---:|---:|---:|");
        foreach (var group in report.Groups)
        {
            foreach (var d in group.Detections)
            {
                output.WriteLine(string.Create(c,
                    $"| {group.Kind} | {group.Positives} | {d.Detector} | {d.Role} | {Number(d.RocAuc)} | {Number(d.AveragePrecision)} | {Number(d.PrecisionAtK)} | {Number(d.RecallAtK)} |"));
            }
        }
    }

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static void WriteNew(string path, byte[] bytes)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        File.WriteAllBytes(path, bytes);
    }
}
