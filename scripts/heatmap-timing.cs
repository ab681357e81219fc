// Times the sample page's heatmap (AttributionCache, integrated gradients on the loss) with a reader on dev questions.
//
//   dotnet run -c Release scripts/heatmap-timing.cs -- [MODEL_DIR] [DEV_FILE] [QUESTIONS] [THREADS]
//
// Defaults: models/minilm-squad, ../shared/data/squad/dev-v1.1.json, 11 questions, 2 threads. It analyses QUESTIONS dev
// questions spread over the file (every n-th) into a temporary database, then:
//  - cold: a fresh cache computes the first question's heatmap (the model check, loading, the gradient graph and the
//    integration) — what a click cost before the page prepared the model;
//  - prepared: a fresh cache is prepared (PrepareAsync, what the sample page starts when it opens), then the click is timed;
//  - per question (the two above are cached by then and left out of the default rule's figures), the default rule (adaptive, 1 % bound) against Gauss–Legendre with 16 and 32 nodes (16 was the default
//    before): gradient evaluations, the completeness error and seconds, each computed (not read from the cache).
// Prints medians and maxima and the load average, since the two cores may be shared.
#:project ../SquadAlbert.Analysis/SquadAlbert.Analysis.csproj
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

var model = args.Length > 0 ? args[0] : "models/minilm-squad";
var devFile = args.Length > 1 ? args[1] : "../shared/data/squad/dev-v1.1.json";
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 11;
var threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

var dev = SquadLoader.Load(devFile);
var every = Math.Max(1, dev.Examples.Count / count);
var subset = dev with { Examples = [.. dev.Examples.Where((_, i) => i % every == 0).Take(count)] };
var folder = Directory.CreateTempSubdirectory("heatmap-timing-");
var database = AppSchema.Initialize(Path.Combine(folder.FullName, "runs.db"));
var clock = Stopwatch.StartNew();
var runId = AnalysisRunner.Run(database, new AnalysisRequest(model, PopulationPresets.Dev(subset), [devFile], new AnalysisSettings(), Threads: threads)).RunId;
Console.WriteLine($"analysed {subset.Examples.Count} questions (every {every}th of dev) in {clock.Elapsed.TotalSeconds:0.0} s; load {Load()}");

var adaptive = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, AdaptivePathQuadrature.DefaultMaxIntervals, IntegrationRule.Adaptive);
var gl16 = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 16);
var gl32 = new SampleAttributionRequest(AttributionMethod.IntegratedGradients, AttributionTarget.Loss, 32);

using (var cold = new AttributionCache(database, threads))
{
    clock.Restart();
    await cold.GetOrComputeAsync(runId, 0, adaptive);
    Console.WriteLine($"cold click (check + load + graph + adaptive IG), question 0: {clock.Elapsed.TotalSeconds:0.00} s; load {Load()}");
}
using (var prepared = new AttributionCache(database, threads))
{
    clock.Restart();
    await prepared.PrepareAsync(runId);
    var preparation = clock.Elapsed.TotalSeconds;
    clock.Restart();
    await prepared.GetOrComputeAsync(runId, 1, adaptive);
    Console.WriteLine($"prepared page: preparation {preparation:0.00} s (while the page is read), then the click on question 1: {clock.Elapsed.TotalSeconds:0.00} s; load {Load()}");
}

using var cache = new AttributionCache(database, threads);
await cache.PrepareAsync(runId);
var rows = new List<(string Rule, int Points, double Error, double Seconds)>();
Console.WriteLine("question  context chars | adaptive: points error s | GL-16: points error s | GL-32: points error s");
for (var index = 0; index < subset.Examples.Count; index++)
{
    var line = $"{index,8}  {subset.Examples[index].Context.Length,13} |";
    foreach (var (name, request, points) in new[] { ("adaptive", adaptive, -1), ("GL-16", gl16, 18), ("GL-32", gl32, 34) })
    {
        clock.Restart();
        var result = await cache.GetOrComputeAsync(runId, index, request);
        var seconds = clock.Elapsed.TotalSeconds;
        // Points = gradient evaluations: the adaptive rule's intervals + 1, Gauss–Legendre's nodes + the 2 path ends.
        var used = points > 0 ? points : result.Attribution.Key.Steps + 1;
        var error = result.CompletenessError ?? double.NaN;
        if (result.FromCache)
        {
            line += $" {used,3} {error,7:P2} cached |";
            continue;
        }
        rows.Add((name, used, error, seconds));
        line += $" {used,3} {error,7:P2} {seconds,5:0.00} |";
    }
    Console.WriteLine(line);
}
foreach (var rule in new[] { "adaptive", "GL-16", "GL-32" })
{
    var of = rows.Where(r => r.Rule == rule).ToList();
    double Median(IEnumerable<double> v) { var s = v.Order().ToList(); return s[s.Count / 2]; }
    Console.WriteLine($"{rule,-8}: points median {Median(of.Select(r => (double)r.Points)):0} (mean {of.Average(r => r.Points):0.0}), " +
                      $"error median {Median(of.Select(r => r.Error)):P2} max {of.Max(r => r.Error):P2}, ≤ 1 %: {of.Count(r => r.Error <= 0.01)}/{of.Count}, " +
                      $"seconds median {Median(of.Select(r => r.Seconds)):0.00} max {of.Max(r => r.Seconds):0.00}");
}
Console.WriteLine($"load average at the end {Load()}");
folder.Delete(recursive: true);
