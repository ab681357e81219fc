using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Analysis.WhatIf.Probes;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>squad-albert probe</c>: counterfactual probes (distractor sentence, wh-word swap, answer-sentence removal, entity swap)
/// over a slice of a finished run, with the run's reader; prints one line per probe and stores the results (resumable).
/// </summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var db = DatabaseOption.Create("SQLite database holding the run");
        var run = RunOption.Create();
        var probe = new Option<string>("--probe")
        {
            Description = "distractor, wh-swap, answer-removal, entity-swap or all", Required = true, HelpName = "PROBE",
        };
        var seed = new Option<int>("--seed") { Description = "seed of the probes' draws (fake answers, substitutes)", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "at most this many samples of the slice (the first in sample order)", HelpName = "N" };
        var title = new Option<string?>("--title") { Description = "only the samples of this article", HelpName = "T" };
        var cluster = new Option<int?>("--cluster") { Description = "only the samples of this k-means cluster", HelpName = "C" };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime threads (default: all cores)" };
        var command = new Command("probe", "Counterfactual probes over a slice of a finished run: how often the reader's answer flips (resumable).")
        {
            db, run, probe, seed, limit, title, cluster, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var kinds = ProbeKinds.ParseList(parse.GetValue(probe)!, "--probe");
            if (parse.GetValue(title) is not null && parse.GetValue(cluster) is not null)
            {
                throw new InputException("probe: give --title or --cluster, not both.");
            }
            var database = RunOption.OpenDatabase("probe", parse, db);
            var target = RunOption.Resolve(database, parse.GetValue(run));
            var slice = parse.GetValue(title) is { } t ? new ProbeSlice(ProbeSliceKind.Title, t, parse.GetValue(limit))
                : parse.GetValue(cluster) is { } c ? new ProbeSlice(ProbeSliceKind.Cluster, c.ToString(CultureInfo.InvariantCulture), parse.GetValue(limit))
                : ProbeSlice.WholeRun(parse.GetValue(limit));
            var request = new ProbeRequest(target.Id, kinds, parse.GetValue(seed), slice);
            var stderr = parse.InvocationConfiguration.Error;
            var clock = Stopwatch.StartNew();
            using var reader = new WhatIfReader(parse.GetValue(threads));
            IReadOnlyList<ProbeRunInfo> finished;
            try
            {
                // Off the invoking thread, so that Ctrl+C cancels between batches.
                finished = await Task.Run(() => ProbeRunner.Run(database, reader, request, new LineProgress(stderr), cancellationToken), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine("stopped: finished batches are saved; the same command resumes.");
                throw;
            }
            Print(parse.InvocationConfiguration.Output, target.Id, slice, finished);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"probes of run {target.Id} ({slice.Description}, seed {request.Seed}) in {clock.Elapsed.TotalSeconds:F1} s -> {database.DatabasePath}"));
            return 0;
        });
        return command;
    }

    /// <summary>The per-probe table: applicable samples, flips, flip rate and mean F1 change.</summary>
    internal static void Print(TextWriter output, long runId, ProbeSlice slice, IReadOnlyList<ProbeRunInfo> runs)
    {
        output.WriteLine($"  {"probe",-16}{"applicable",11}{"flips",7}{"rate",8}{"ΔF1",8}  flip means");
        foreach (var r in runs)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Probe.Label(),-16}{$"{r.ApplicableCount}/{r.SampleCount}",11}{r.FlipCount,7}{(r.FlipRate is { } rate ? rate.ToString("P1", CultureInfo.InvariantCulture) : "n/a"),8}" +
                $"{(r.MeanF1Change is { } d ? (100 * d).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "n/a"),8}  {r.Probe.Expectation().FlipMeaning()}"));
        }
    }

    /// <summary>One line per probe and every tenth of it on stderr.</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<ProbeProgress>
    {
        private (ProbeKind, int) _last = (ProbeKind.Distractor, -1);

        public void Report(ProbeProgress value)
        {
            var tenth = value.Total == 0 ? 10 : 10 * value.Done / value.Total;
            if (_last == (value.Probe, tenth))
            {
                return;
            }
            _last = (value.Probe, tenth);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"probe {value.ProbeNumber}/{value.ProbeCount} {value.Probe.Label()}: {value.Done}/{value.Total} samples, {value.ExamplesPerSecond:F1} examples/s"));
        }
    }
}
