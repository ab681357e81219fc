using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>squad-albert label-errors</c>: the questions whose gold label is most likely wrong (see <see cref="LabelErrorScorer"/>), with each one's <see cref="LabelKind"/> and components.</summary>
public static class LabelErrorsCommand
{
    private const int TextWidth = 60;

    public static Command Create()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = RunOption.Create();
        var top = new Option<int>("--top") { Description = "questions listed", DefaultValueFactory = _ => 20 };
        var command = new Command("label-errors", "Rank a run's questions by label-error score: likely wrong or doubtful gold answers first.")
        {
            db, run, top,
        };
        command.SetAction(parse =>
        {
            var database = RunOption.OpenDatabase("label-errors", parse, db);
            var target = RunOption.Resolve(database, parse.GetValue(run));
            var count = parse.GetValue(top);
            if (count < 1)
            {
                throw new InputException($"label-errors: --top must be at least 1, got {count}.");
            }
            var rows = new LatentStore(database).TopLabelErrors(target.Id, count);
            if (rows.Count == 0)
            {
                throw new InputException($"{database.DatabasePath}: run {target.Id} has no label-error scores yet; run `squad-albert latent --run {target.Id}` first.");
            }
            var output = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(c, $"run {target.Id}: the {rows.Count} questions most likely mislabelled"));
            output.WriteLine("  (score = P(wrong label), P(gold) = model probability of the gold span, on gold = n-best probability on spans overlapping a gold, " +
                             "rank = n-best rank of the first gold match, disjoint = confidence of a prediction apart from every gold, " +
                             "type = gold answer type the question does not ask for, disagree = 1 - F1 between golds, occurs = times the gold text is in the context)");
            var rank = 0;
            foreach (var row in rows)
            {
                rank++;
                var label = row.Label;
                var parts = label.Components is { } evidence
                    ? string.Create(c, $"P(gold) {evidence.GoldProbability:F3}  on gold {evidence.GoldSpanMass:F2}  " +
                                       $"rank {(evidence.GoldNBestRank is { } goldRank ? goldRank.ToString(c) : "-")}  disjoint {evidence.DisjointConfidence:F3}  " +
                                       $"type {evidence.AnswerTypeMismatch:F2}  disagree {evidence.GoldDisagreement:F2}  occurs {evidence.AnswerOccurrences}")
                    : "(scored by an older version: run `latent` again)";
                output.WriteLine(string.Create(c,
                    $"{rank,3}. {label.ErrorScore:F3}  {(label.Kind is { } kind ? kind.Label() : "-"),-14}  {row.ExampleId}  [{row.Title}]  {parts}"));
                output.WriteLine($"       question:   {Shorten(row.Question)}");
                output.WriteLine($"       gold:       {Shorten(row.FirstGold)}");
                output.WriteLine($"       prediction: {Shorten(row.Prediction)} ({row.Relation})");
            }
            return 0;
        });
        return command;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= TextWidth ? line : string.Concat(line.AsSpan(0, TextWidth - 1), "…");
    }
}
