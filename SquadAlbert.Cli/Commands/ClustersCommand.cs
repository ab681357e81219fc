using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Latent;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>squad-albert clusters</c>: the cluster table of a run's latent analysis (size, quality, name, question starts).</summary>
public static class ClustersCommand
{
    public static Command Create()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = RunOption.Create();
        var method = new Option<string>("--method") { Description = "which clustering", DefaultValueFactory = _ => LatentStages.KMeans };
        method.AcceptOnlyFromAmong(LatentStages.KMeans, LatentStages.Hdbscan);
        var command = new Command("clusters", "List the clusters of a run's latent analysis: size, mean loss, EM, F1, name and top question starts.")
        {
            db, run, method,
        };
        command.SetAction(parse =>
        {
            var database = RunOption.OpenDatabase("clusters", parse, db);
            var target = RunOption.Resolve(database, parse.GetValue(run));
            var chosen = parse.GetValue(method)!;
            var clusters = new LatentStore(database).Clusters(target.Id, chosen);
            if (clusters.Count == 0)
            {
                throw new InputException($"{database.DatabasePath}: run {target.Id} has no {chosen} clusters yet; run `squad-albert latent --run {target.Id}` first.");
            }
            var output = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            var noise = clusters.Where(x => x.Cluster == ClusterSummarizer.Noise).Sum(x => x.Size);
            output.WriteLine(string.Create(c,
                $"run {target.Id}, {chosen}: {clusters.Count(x => x.Cluster != ClusterSummarizer.Noise)} clusters over {clusters.Sum(x => x.Size):N0} questions" +
                $"{(noise > 0 ? $", {noise:N0} of them noise" : "")}"));
            output.WriteLine($"{"cluster",7} {"size",6} {"loss",7} {"EM",6} {"F1",6}  {"name",-28} top question starts");
            foreach (var cluster in clusters)
            {
                var starts = string.Join(", ", cluster.TopQuestionStarts.Take(3).Select(s => string.Create(c, $"{s.Value} ({s.Count})")));
                output.WriteLine(string.Create(c,
                    $"{cluster.Cluster,7} {cluster.Size,6:N0} {cluster.MeanLoss,7:F3} {cluster.ExactMatch,6:F1} {cluster.F1,6:F1}  {cluster.Name,-28} {starts}"));
            }
            return 0;
        });
        return command;
    }
}
