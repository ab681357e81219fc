using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>squad-albert compare --db FILE RUN_A RUN_B</c>: per-question differences between two runs on the same questions.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var db = DatabaseOption.Create("SQLite database holding both runs");
        var runA = new Argument<long>("RUN_A") { Description = "the baseline run id" };
        var runB = new Argument<long>("RUN_B") { Description = "the run compared with it" };
        var show = new Option<int>("--show") { Description = "flipped questions listed per direction", DefaultValueFactory = _ => 10 };
        var command = new Command("compare", "Compare two analysis runs question by question: EM/F1/loss deltas and flips.") { db, runA, runB, show };
        command.SetAction(parse =>
        {
            var path = DatabaseOption.Resolve(parse, db);
            if (!File.Exists(path))
            {
                throw new Analysis.InputException($"compare: database {path} does not exist.");
            }
            var result = RunComparison.Compare(AppSchema.Initialize(path), parse.GetValue(runA), parse.GetValue(runB));
            Print(parse.InvocationConfiguration.Output, result, Math.Max(0, parse.GetValue(show)));
            return 0;
        });
        return command;
    }

    private static void Print(TextWriter output, RunComparisonResult r, int show)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"run {r.RunA} vs run {r.RunB}: {r.Matched:N0} questions in both ({r.OnlyInA} only in {r.RunA}, {r.OnlyInB} only in {r.RunB})"));
        output.WriteLine(string.Create(c, $"  EM   {r.ExactMatchA,8:F2} -> {r.ExactMatchB,8:F2}  ({r.ExactMatchB - r.ExactMatchA:+0.00;-0.00;0.00})"));
        output.WriteLine(string.Create(c, $"  F1   {r.F1A,8:F2} -> {r.F1B,8:F2}  ({r.F1B - r.F1A:+0.00;-0.00;0.00})"));
        output.WriteLine(string.Create(c, $"  loss {r.MeanLossA,8:F4} -> {r.MeanLossB,8:F4}  ({r.MeanLossB - r.MeanLossA:+0.0000;-0.0000;0.0000})"));
        output.WriteLine(string.Create(c, $"  flips: {r.RightToWrong:N0} right->wrong, {r.WrongToRight:N0} wrong->right; F1 up for {r.F1Improved:N0}, down for {r.F1Worsened:N0}"));
        foreach (var flip in new[] { Flip.RightToWrong, Flip.WrongToRight })
        {
            foreach (var s in r.Samples.Where(s => s.Flip == flip).OrderBy(s => s.F1Delta * (flip == Flip.RightToWrong ? 1 : -1)).Take(show))
            {
                output.WriteLine(string.Create(c, $"  {flip}\t{s.Split}\t{s.ExampleId}\tF1 {s.F1A:F2} -> {s.F1B:F2}\tloss {s.LossA:F3} -> {s.LossB:F3}"));
            }
        }
    }
}
