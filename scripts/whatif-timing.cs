// Times the sample page's "Edit and re-run" (WhatIfReader.Run) with a reader on dev questions.
//
//   dotnet run -c Release scripts/whatif-timing.cs -- [MODEL_DIR] [DEV_FILE] [QUESTIONS] [THREADS]
//
// Defaults: models/minilm-squad, ../shared/data/squad/dev-v1.1.json, 30 questions, 2 threads. It analyses the first
// QUESTIONS dev questions into a temporary database (the run the sample page would show), loads the reader once, then
// per question times one Run on the question as it is and one on an edited question (a word added in front), end to end
// (the model check, featurizing, the model, post-processing and the token probabilities), and prints the median, p90
// and max.
#:project ../SquadAlbert.Analysis/SquadAlbert.Analysis.csproj
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property PublishAot=false

using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.WhatIf;

var model = args.Length > 0 ? args[0] : "models/minilm-squad";
var devFile = args.Length > 1 ? args[1] : "../shared/data/squad/dev-v1.1.json";
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
var threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;

var dev = SquadLoader.Load(devFile);
var subset = dev with { Examples = [.. dev.Examples.Take(count)] };
var folder = Directory.CreateTempSubdirectory("whatif-timing-");
var database = AppSchema.Initialize(Path.Combine(folder.FullName, "runs.db"));
var clock = Stopwatch.StartNew();
var runId = AnalysisRunner.Run(database, new AnalysisRequest(model, PopulationPresets.Dev(subset), [devFile], new AnalysisSettings(), Threads: threads)).RunId;
Console.WriteLine($"analysed {count} questions in {clock.Elapsed.TotalSeconds:0.0} s");
var run = new RunStore(database).Find(runId)!;
var samples = new RunSampleReader(database).All(runId);

using var reader = new WhatIfReader(threads);
clock.Restart();
var first = reader.Run(run, new WhatIfEdit(samples[0].Question, samples[0].Context, null));
Console.WriteLine($"first Run (loads the model): {clock.Elapsed.TotalMilliseconds:0} ms");

var unedited = new List<double>();
var edited = new List<double>();
var same = 0;
foreach (var sample in samples)
{
    clock.Restart();
    var result = reader.Run(run, new WhatIfEdit(sample.Question, sample.Context, null));
    unedited.Add(clock.Elapsed.TotalMilliseconds);
    same += result.Prediction == sample.Prediction ? 1 : 0;
    clock.Restart();
    reader.Run(run, new WhatIfEdit("Tell me, " + sample.Question, sample.Context, null));
    edited.Add(clock.Elapsed.TotalMilliseconds);
}
string Summary(List<double> ms)
{
    var sorted = ms.Order().ToList();
    return $"median {sorted[sorted.Count / 2]:0} ms, p90 {sorted[(int)(sorted.Count * 0.9)]:0} ms, max {sorted[^1]:0} ms";
}
Console.WriteLine($"unedited ({samples.Count}): {Summary(unedited)}; {same} of {samples.Count} equal the stored prediction");
Console.WriteLine($"edited question ({samples.Count}): {Summary(edited)}");
Console.WriteLine($"mean context length {samples.Average(s => s.Context.Length):0} characters, windows per question {samples.Average(s => s.WindowCount):0.00}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
folder.Delete(recursive: true);
