// Reproduces the figures of docs/findings.md from an analysis database (read only).
//
//   dotnet run scripts/findings.cs -- DB [DEV_RUN [TENSORLEAP_RUN [QUANT_SAMPLE]]]
//
// DB is a database written by `squad-albert analyze` + `latent`; DEV_RUN (default 1) a run of all of dev-v1.1,
// TENSORLEAP_RUN (default 2) a run of the tensorleap preset (splits training/validation/test); QUANT_SAMPLE (default:
// the first "how many" question of the dev run's k-means cluster named "how many · number") is the sample whose
// nearest neighbours are listed. It prints, per run:
//   - split separation (tensorleap run): share of each sample's 10 nearest neighbours (cosine, context_mean
//     embedding, the neighbours the sample page shows) from the same split / the same split group (training vs
//     validation+test) / the same title, against the share expected if neighbours were drawn at random; the same for
//     the neighbours from another title only; the silhouette of the two split groups on the UMAP map (Euclidean);
//   - NMI(question type, k-means cluster) and NMI(question type, HDBSCAN cluster) (ClusteringAgreement), and where
//     "when" and "what year" questions fall (cluster, its stored name, share);
//   - the "Prediction vs gold" slices (RunSlices: the relation with "quotation marks only" split out) and the
//     samples whose prediction differs from a gold only by quotation marks;
//   - the quantitative sample's 10 nearest neighbours, and for all "how many"/"how much" questions the share of
//     their 10 nearest neighbours that are also "how many"/"how much" against the base rate.
// Needs the .NET 10 SDK (file-based app); it builds SquadAlbert.Analysis. It upgrades an older database's schema as
// every command does (AppSchema.Initialize); otherwise nothing is written to the database.
#:project ../SquadAlbert.Analysis/SquadAlbert.Analysis.csproj
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property PublishAot=false

using System.Globalization;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: dotnet run scripts/findings.cs -- DB [DEV_RUN [TENSORLEAP_RUN [QUANT_SAMPLE]]]");
    return 2;
}
var dbPath = args[0];
var devRun = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var tlRun = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 2;
int? quantSample = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : null;
// Like every command, bring the database to the library's schema first (the library's readers expect it).
var database = AppSchema.Initialize(dbPath);
const int K = 10;

Console.WriteLine($"# findings from {dbPath}");

// ---- 1. split separation on the tensorleap run ----
{
    Console.WriteLine($"\n## Split separation, run {tlRun}");
    var rows = ReadRows(database, tlRun);
    var (samples, values, dimension) = new RunStore(database).Embeddings(tlRun, EmbeddingKinds.ContextMean);
    var index = new CosineNeighbourIndex(values, samples.Length, dimension);
    var neighbours = index.QueryAll(K);
    var bySample = rows.ToDictionary(r => r.Index);
    string Group(Row r) => r.Split == "training" ? "training" : "validation+test";
    foreach (var (label, key) in new (string, Func<Row, string>)[] { ("split", r => r.Split), ("split group", Group), ("title", r => r.Title) })
    {
        double same = 0;
        var total = 0;
        var perSplit = new Dictionary<string, (double Same, int Total)>();
        for (var row = 0; row < samples.Length; row++)
        {
            var me = bySample[samples[row]];
            var hits = neighbours[row].Count(n => key(bySample[samples[n.Index]]) == key(me));
            same += hits;
            total += neighbours[row].Length;
            var s = perSplit.GetValueOrDefault(me.Split);
            perSplit[me.Split] = (s.Same + hits, s.Total + neighbours[row].Length);
        }
        // Expected share when neighbours are drawn uniformly from the other samples: Σ n_c (n_c − 1) / (N (N − 1)).
        var counts = samples.Select(s => key(bySample[s])).GroupBy(v => v).Select(g => (double)g.Count()).ToList();
        double n = samples.Length;
        var expected = counts.Sum(c => c * (c - 1)) / (n * (n - 1));
        Console.WriteLine($"same {label} among {K} nearest neighbours: {100 * same / total:F1} % (chance {100 * expected:F1} %); by split: " +
            string.Join(", ", perSplit.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {100 * p.Value.Same / p.Value.Total:F1} %")));
    }
    // The splits are made of whole titles: among the neighbours from ANOTHER title, how many share the split group, against
    // the share of other-title samples in that group (what a random other-title neighbour would give)?
    {
        double same = 0, expected = 0;
        var total = 0;
        var titleCount = rows.GroupBy(r => r.Title).ToDictionary(g => g.Key, g => g.Count());
        var groupCount = rows.GroupBy(Group).ToDictionary(g => g.Key, g => g.Count());
        for (var row = 0; row < samples.Length; row++)
        {
            var me = bySample[samples[row]];
            foreach (var n in neighbours[row])
            {
                var other = bySample[samples[n.Index]];
                if (other.Title == me.Title)
                {
                    continue;
                }
                total++;
                same += Group(other) == Group(me) ? 1 : 0;
                expected += (groupCount[Group(me)] - titleCount[me.Title]) / (double)(rows.Count - titleCount[me.Title]);
            }
        }
        Console.WriteLine($"neighbours from another title ({100.0 * total / (samples.Length * K):F1} % of all): same split group {100 * same / total:F1} % (chance {100 * expected / total:F1} %)");
    }
    var mapped = rows.Where(r => r.UmapX is not null).ToList();
    var groups = mapped.Select(r => Group(r) == "training" ? 0 : 1).ToArray();
    Console.WriteLine($"silhouette of training vs validation+test on the UMAP map: {Silhouette(mapped.Select(r => (r.UmapX!.Value, r.UmapY!.Value)).ToArray(), groups):F3} " +
        $"({mapped.Count} points; 1 = two separate groups, 0 = mixed)");
    var splitCodes = Codes(rows.Select(r => Group(r)));
    Console.WriteLine($"NMI(split group, k-means) {ClusteringAgreement.NormalizedMutualInformation(splitCodes, Codes(rows.Select(r => r.KMeans?.ToString(CultureInfo.InvariantCulture) ?? "-"))):F3}, " +
        $"NMI(title, k-means) {ClusteringAgreement.NormalizedMutualInformation(Codes(rows.Select(r => r.Title)), Codes(rows.Select(r => r.KMeans?.ToString(CultureInfo.InvariantCulture) ?? "-"))):F3}");
    var topicPure = rows.GroupBy(r => r.KMeans).Select(g => g.GroupBy(Group).Max(h => h.Count()) / (double)g.Count()).ToList();
    Console.WriteLine($"k-means clusters whose samples are ≥ 90 % one split group: {topicPure.Count(p => p >= 0.9)} of {topicPure.Count}");
}

// ---- 2. question type vs cluster ----
foreach (var run in new[] { devRun, tlRun })
{
    Console.WriteLine($"\n## Question type vs cluster, run {run}");
    var rows = ReadRows(database, run);
    var names = ClusterNames(database, run);
    var types = Codes(rows.Select(r => r.QuestionType));
    foreach (var (method, cluster) in new (string, Func<Row, int?>)[] { ("kmeans", r => r.KMeans), ("hdbscan", r => r.Hdbscan) })
    {
        var clusters = Codes(rows.Select(r => cluster(r)?.ToString(CultureInfo.InvariantCulture) ?? "-"));
        var clustered = rows.Select((r, i) => (r, i)).Where(p => cluster(p.r) is int c && c >= 0).Select(p => p.i).ToList();
        Console.WriteLine($"NMI(question type, {method}) = {ClusteringAgreement.NormalizedMutualInformation(types, clusters):F3}" +
            (method == "hdbscan" ? $" (without noise: {ClusteringAgreement.NormalizedMutualInformation(clustered.Select(i => types[i]).ToList(), clustered.Select(i => clusters[i]).ToList()):F3})" : ""));
        foreach (var type in new[] { "when", "what year" })
        {
            var ofType = rows.Where(r => r.QuestionType == type).ToList();
            var top = ofType.GroupBy(cluster).OrderByDescending(g => g.Count()).Take(3)
                .Select(g => $"{method} {g.Key?.ToString(CultureInfo.InvariantCulture) ?? "-"} \"{names.GetValueOrDefault((method, g.Key ?? int.MinValue), "noise")}\" {100.0 * g.Count() / ofType.Count:F1} %");
            Console.WriteLine($"  {type} ({ofType.Count}, EM {100.0 * ofType.Average(r => r.Em ? 1 : 0):F1}): {string.Join("; ", top)}");
        }
    }
}

// ---- 3. quotation marks only ----
foreach (var run in new[] { devRun, tlRun })
{
    Console.WriteLine($"\n## Prediction vs gold slices, run {run}");
    var report = RunSlices.Compute(database, run);
    foreach (var slice in report.ByRelation)
    {
        Console.WriteLine($"  {slice.Key}: {slice.Count} samples, EM {slice.ExactMatch:F1}, F1 {slice.F1:F1}, mean loss {slice.MeanLoss:F3}");
    }
    using var connection = database.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT sample_index, split, title, question, prediction, gold_answers_json, relation, exact_match, token_exact_match FROM samples WHERE run_id = $run ORDER BY sample_index";
    command.Parameters.AddWithValue("$run", run);
    using var reader = command.ExecuteReader();
    while (reader.Read())
    {
        var golds = GoldAnswer.ParseJson(reader.GetString(5), "sample").Select(g => g.Text).ToList();
        if (RunSlices.RelationSlice(reader.GetString(6), reader.GetString(4), golds) == RunSlices.QuotationMarksOnly)
        {
            Console.WriteLine($"  #{reader.GetInt32(0)} {reader.GetString(1)} {reader.GetString(2)} | {reader.GetString(3).Trim()} | pred «{reader.GetString(4)}» | gold «{string.Join("» / «", golds.Distinct())}» | stored {reader.GetString(6)}, EM {reader.GetInt32(7)}, token EM {reader.GetInt32(8)}");
        }
    }
}

// ---- 4. the quantitative cluster through nearest neighbours ----
{
    Console.WriteLine($"\n## Nearest neighbours of a quantitative question, run {devRun}");
    var rows = ReadRows(database, devRun);
    var names = ClusterNames(database, devRun);
    var bySample = rows.ToDictionary(r => r.Index);
    var quantCluster = names.Where(n => n.Key.Method == "kmeans" && n.Value.StartsWith("how many", StringComparison.Ordinal)).Select(n => n.Key.Cluster).DefaultIfEmpty(int.MinValue).First();
    var sample = quantSample ?? rows.First(r => r.QuestionType == "how many" && r.KMeans == quantCluster).Index;
    var me = bySample[sample];
    Console.WriteLine($"sample #{sample}: {me.Question.Trim()} (k-means {me.KMeans} \"{names.GetValueOrDefault(("kmeans", me.KMeans ?? -9), "")}\")");
    var neighbours = RunNeighbours.Load(database, devRun);
    foreach (var n in neighbours.Nearest(sample, K))
    {
        var r = bySample[n.SampleIndex];
        Console.WriteLine($"  #{n.SampleIndex} sim {n.Similarity:F3} {r.QuestionType,-9} k-means {r.KMeans,2} | {r.Question.Trim()}");
    }
    bool Quant(Row r) => r.QuestionType is "how many" or "how much";
    var (samples, values, dimension) = new RunStore(database).Embeddings(devRun, EmbeddingKinds.ContextMean);
    var index = new CosineNeighbourIndex(values, samples.Length, dimension);
    var rowOf = samples.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
    var quant = rows.Where(Quant).Select(r => rowOf[r.Index]).ToList();
    var found = index.QueryBatch(quant, K);
    var share = found.Average(ns => ns.Count(n => Quant(bySample[samples[n.Index]])) / (double)ns.Length);
    Console.WriteLine($"all {quant.Count} how many/how much questions: {100 * share:F1} % of their {K} nearest neighbours are how many/how much too (base rate {100.0 * rows.Count(Quant) / rows.Count:F1} %)");
    var inCluster = rows.Where(r => r.KMeans == quantCluster).ToList();
    Console.WriteLine($"k-means {quantCluster} \"{names.GetValueOrDefault(("kmeans", quantCluster), "")}\": {inCluster.Count} samples, {100.0 * inCluster.Count(Quant) / inCluster.Count:F1} % how many/how much; " +
        $"{100.0 * rows.Count(r => Quant(r) && r.KMeans == quantCluster) / rows.Count(Quant):F1} % of all how many/how much questions");
}
return 0;

static List<Row> ReadRows(SqliteConnectionFactory database, long run)
{
    using var connection = database.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT sample_index, split, title, question_type, cluster, hdbscan_cluster, umap_x, umap_y, exact_match, question FROM samples WHERE run_id = $run ORDER BY sample_index";
    command.Parameters.AddWithValue("$run", run);
    using var reader = command.ExecuteReader();
    var rows = new List<Row>();
    while (reader.Read())
    {
        rows.Add(new Row(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7), reader.GetInt32(8) != 0, reader.GetString(9)));
    }
    return rows;
}

static Dictionary<(string Method, int Cluster), string> ClusterNames(SqliteConnectionFactory database, long run)
{
    using var connection = database.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT method, cluster, name FROM clusters WHERE run_id = $run";
    command.Parameters.AddWithValue("$run", run);
    using var reader = command.ExecuteReader();
    var names = new Dictionary<(string, int), string>();
    while (reader.Read())
    {
        names[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
    }
    return names;
}

static int[] Codes(IEnumerable<string> values)
{
    var codes = new Dictionary<string, int>(StringComparer.Ordinal);
    return [.. values.Select(v => codes.TryGetValue(v, out var c) ? c : codes[v] = codes.Count)];
}

// Mean silhouette (Euclidean) of a labelling of 2-D points; exact, O(n²).
static double Silhouette((double X, double Y)[] points, int[] labels)
{
    var labelCount = labels.Max() + 1;
    var sizes = new int[labelCount];
    foreach (var l in labels)
    {
        sizes[l]++;
    }
    double total = 0;
    var counted = 0;
    for (var i = 0; i < points.Length; i++)
    {
        var sums = new double[labelCount];
        for (var j = 0; j < points.Length; j++)
        {
            if (i != j)
            {
                var dx = points[i].X - points[j].X;
                var dy = points[i].Y - points[j].Y;
                sums[labels[j]] += Math.Sqrt((dx * dx) + (dy * dy));
            }
        }
        var own = labels[i];
        if (sizes[own] < 2)
        {
            continue;
        }
        var a = sums[own] / (sizes[own] - 1);
        var b = Enumerable.Range(0, labelCount).Where(l => l != own && sizes[l] > 0).Min(l => sums[l] / sizes[l]);
        total += (b - a) / Math.Max(a, b);
        counted++;
    }
    return total / counted;
}

sealed record Row(int Index, string Split, string Title, string QuestionType, int? KMeans, int? Hdbscan, double? UmapX, double? UmapY, bool Em, string Question);
