using System.Diagnostics;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>Probes to run over a slice of a finished run.</summary>
/// <param name="BatchSize">Samples rewritten, answered and stored together (a cancelled probe run keeps its finished batches).</param>
public sealed record ProbeRequest(long RunId, IReadOnlyList<ProbeKind> Probes, int Seed, ProbeSlice Slice, int BatchSize = 64);

/// <summary>How far a probe job is: probe <see cref="ProbeNumber"/> of <see cref="ProbeCount"/>, <see cref="Done"/> of its
/// <see cref="Total"/> samples; <see cref="ExamplesPerSecond"/> counts the examples the reader answered.</summary>
public readonly record struct ProbeProgress(ProbeKind Probe, int ProbeNumber, int ProbeCount, int Done, int Total, double ExamplesPerSecond)
{
    public double Fraction => ProbeCount == 0 ? 1 : ((ProbeNumber - 1) + (Total == 0 ? 1 : (double)Done / Total)) / ProbeCount;
}

/// <summary>How the reader did on one probed example, judged against the probe's expectation.</summary>
public static class ProbeJudge
{
    /// <summary>Scores <paramref name="probedPrediction"/> against the probed golds and decides whether it flipped.</summary>
    /// <param name="originalGolds">The sample's golds (a lose-probe's prediction must no longer match them).</param>
    /// <param name="abstainingReader">A SQuAD 2.0 run: a lose-probe expects the reader to abstain (predict "").</param>
    public static (double ProbedF1, bool Changed, bool Flipped) Judge(
        ProbedExample probed, IReadOnlyList<GoldAnswer> originalGolds, string originalPrediction, string probedPrediction, bool abstainingReader)
    {
        ArgumentNullException.ThrowIfNull(probed);
        ArgumentNullException.ThrowIfNull(originalGolds);
        var changed = !OfficialSquadMetric.ExactMatch(probedPrediction, originalPrediction) || (probedPrediction.Length == 0) != (originalPrediction.Length == 0);
        var golds = probed.Golds.Select(g => g.Text).ToList();
        var score = golds.Count == 0 ? new AnswerScore(probedPrediction.Length == 0, probedPrediction.Length == 0 ? 1 : 0, -1) : OfficialSquadMetric.Score(probedPrediction, golds);
        var flipped = probed.Expectation switch
        {
            ProbeExpectation.KeepsAnswer => changed,
            ProbeExpectation.LosesAnswer => abstainingReader
                ? probedPrediction.Length > 0
                : originalGolds.Count > 0 && OfficialSquadMetric.Score(probedPrediction, [.. originalGolds.Select(g => g.Text)]).ExactMatch,
            _ => !score.ExactMatch,
        };
        return (score.F1, changed, flipped);
    }
}

/// <summary>
/// Runs probes over a slice of a finished run: rewrites each sample (<see cref="IProbe"/>), answers the applicable ones with the
/// run's reader in batches (<see cref="WhatIfReader.Answer(RunInfo, IReadOnlyList{ValueTuple{string, string}}, CancellationToken)"/>:
/// the run's model, window and post-processing settings), judges them (<see cref="ProbeJudge"/>) and stores every batch as it
/// finishes (<see cref="ProbeStore"/>), so the same request resumes an interrupted probe run. Fake answers and substitutes are
/// drawn from the whole run's golds (<see cref="ProbeDonors"/>), so a sample's rewrite does not depend on the slice.
/// </summary>
public static class ProbeRunner
{
    /// <returns>The finished probe runs, one per probe, in request order.</returns>
    /// <exception cref="InputException">No such finished run, an empty slice, or the reader cannot answer (model folder changed).</exception>
    public static IReadOnlyList<ProbeRunInfo> Run(
        SqliteConnectionFactory database, WhatIfReader reader, ProbeRequest request, IProgress<ProbeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        request.Slice.Validate();
        if (request.Probes.Count == 0 || request.BatchSize <= 0)
        {
            throw new InputException("probes: name at least one probe and a positive batch size.");
        }
        var run = new RunStore(database).Find(request.RunId) ?? throw new InputException($"probes: there is no run {request.RunId}.");
        if (!run.IsFinished)
        {
            throw new InputException($"probes: run {run.Id} is not finished; finish its analysis first.");
        }
        var store = new ProbeStore(database);
        var indices = store.SliceIndices(run.Id, request.Slice);
        if (indices.Count == 0)
        {
            throw new InputException($"probes: the slice '{request.Slice.Description}' of run {run.Id} has no samples.");
        }
        var samples = new RunSampleReader(database).All(run.Id);
        var inputs = samples.ToDictionary(s => s.SampleIndex, s => (Sample: s, Input: new ProbeInput(s.ExampleId, s.Title, s.Question, s.Context, s.GoldAnswers)));
        var donors = ProbeDonors.From(samples.Select(s => inputs[s.SampleIndex].Input));
        var abstaining = WhatIfReader.SettingsOf(run).NullThreshold is not null;
        var finished = new List<ProbeRunInfo>();
        var clock = Stopwatch.StartNew();
        var answered = 0;
        for (var p = 0; p < request.Probes.Count; p++)
        {
            var kind = request.Probes[p];
            var probe = kind.Probe();
            var start = store.Begin(run.Id, kind, request.Seed, request.Slice, indices.Count);
            var todo = indices.Where(i => !start.Done.Contains(i)).ToList();
            var done = indices.Count - todo.Count;
            progress?.Report(new ProbeProgress(kind, p + 1, request.Probes.Count, done, indices.Count, Rate(answered, clock)));
            foreach (var batch in todo.Chunk(request.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rewrites = batch.Select(i => (Index: i, inputs[i].Sample, Rewrite: probe.Rewrite(inputs[i].Input, donors, request.Seed))).ToList();
                var applicable = rewrites.Where(r => r.Rewrite.IsApplicable).ToList();
                var predictions = reader.Answer(run, [.. applicable.Select(r => (r.Rewrite.Example!.Question, r.Rewrite.Example.Context))], cancellationToken);
                var answers = applicable.Select((r, k) => (r.Index, predictions[k].Text)).ToDictionary(a => a.Index, a => a.Text);
                answered += applicable.Count;
                var results = rewrites.Select(r =>
                {
                    if (r.Rewrite.Example is not { } example)
                    {
                        return new ProbeSampleResult(r.Index, false, r.Rewrite.NotApplicable, null, null, null, null, r.Sample.Prediction, r.Sample.F1, null, null, null, null);
                    }
                    var probed = answers[r.Index];
                    var (f1, changed, flipped) = ProbeJudge.Judge(example, r.Sample.GoldAnswers, r.Sample.Prediction, probed, abstaining);
                    return new ProbeSampleResult(r.Index, true, null, example.Change, example.Question, example.Context, example.Golds, r.Sample.Prediction,
                        r.Sample.F1, probed, f1, changed, flipped);
                }).ToList();
                store.Add(start.Run.Id, run.Id, results);
                done += batch.Length;
                progress?.Report(new ProbeProgress(kind, p + 1, request.Probes.Count, done, indices.Count, Rate(answered, clock)));
            }
            finished.Add(store.Finish(start.Run.Id));
        }
        return finished;
    }

    private static double Rate(int answered, Stopwatch clock) => clock.Elapsed.TotalSeconds > 0 ? answered / clock.Elapsed.TotalSeconds : 0;
}
