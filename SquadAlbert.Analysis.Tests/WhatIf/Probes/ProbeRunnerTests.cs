using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Analysis.WhatIf.Probes;

namespace SquadAlbert.Analysis.Tests.WhatIf.Probes;

public sealed class ProbeRunnerTests
{
    private static (SqliteConnectionFactory Database, RunInfo Run) AnalysedRun()
    {
        var database = RunFixture.NewDatabase();
        var result = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1)));
        return (database, new RunStore(database).Find(result.RunId)!);
    }

    [Fact]
    public void The_judge_applies_each_expectation()
    {
        GoldAnswer[] golds = [new("1066", 3)];
        var keep = new ProbedExample("Q?", "In 1066.", golds, ProbeExpectation.KeepsAnswer, "");
        Assert.Equal((1.0, false, false), ProbeJudge.Judge(keep, golds, "1066", "the 1066", false));
        Assert.Equal((0.0, true, true), ProbeJudge.Judge(keep, golds, "1066", "1067", false));

        var lose = keep with { Expectation = ProbeExpectation.LosesAnswer };
        Assert.True(ProbeJudge.Judge(lose, golds, "1066", "1066", false).Flipped);
        Assert.False(ProbeJudge.Judge(lose, golds, "1066", "1067", false).Flipped);
        Assert.True(ProbeJudge.Judge(lose, golds, "1066", "1067", abstainingReader: true).Flipped);
        Assert.False(ProbeJudge.Judge(lose, golds, "1066", "", abstainingReader: true).Flipped);

        var follow = keep with { Golds = [new GoldAnswer("1300", 3)], Expectation = ProbeExpectation.FollowsSubstitute };
        Assert.Equal((1.0, true, false), ProbeJudge.Judge(follow, golds, "1066", "1300", false));
        Assert.Equal((0.0, false, true), ProbeJudge.Judge(follow, golds, "1066", "1066", false));
    }

    [Fact]
    public void Probes_over_a_run_store_results_the_single_example_reader_reproduces()
    {
        var (database, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        var reports = new List<ProbeProgress>();
        var finished = ProbeRunner.Run(database, reader, new ProbeRequest(run.Id, ProbeKinds.All, Seed: 5, ProbeSlice.WholeRun(), BatchSize: 5),
            new SyncProgress<ProbeProgress>(reports.Add));

        Assert.Equal(ProbeKinds.All, finished.Select(f => f.Probe));
        Assert.All(finished, f => Assert.True(f.IsFinished));
        Assert.Equal(1.0, reports[^1].Fraction);
        var store = new ProbeStore(database);
        var samples = new RunSampleReader(database).All(run.Id).ToDictionary(s => s.SampleIndex);
        foreach (var probeRun in finished)
        {
            var results = store.Results(probeRun.Id);
            Assert.Equal(12, results.Count);
            Assert.Equal(results.Count(r => r.Applicable), probeRun.ApplicableCount);
            Assert.Equal(results.Count(r => r.Flipped == true), probeRun.FlipCount);
            Assert.Equal(results.Where(r => r.Applicable).Select(r => r.F1Change!.Value).DefaultIfEmpty().Average(), probeRun.MeanF1Change ?? 0, 9);
            foreach (var result in results)
            {
                Assert.Equal(samples[result.SampleIndex].Prediction, result.OriginalPrediction);
                Assert.Equal(result.Applicable, result.NotApplicableReason is null);
                if (result.Applicable)
                {
                    var single = reader.Run(run, new WhatIfEdit(result.ProbedQuestion!, result.ProbedContext!, null));
                    Assert.Equal(single.Prediction, result.ProbedPrediction);
                }
            }
            Assert.Equal(results.Where(r => r.Flipped == true).Select(r => r.SampleIndex).Order(), store.Flips(probeRun.Id).Select(f => f.SampleIndex).Order());
        }
        // Known answer: of the fixture's twelve questions only "In what year …" and "How many men …" have a swappable wh-phrase
        // ("When …" asks about a date and "(1942)"; the others have none).
        var whSwap = store.Results(finished[1].Id);
        Assert.Equal([2, 3], whSwap.Where(r => r.Applicable).Select(r => r.SampleIndex));
        Assert.Equal("When did the Duke of Normandy conquer England?", whSwap[2].ProbedQuestion);
        Assert.Equal(whSwap[2].Flipped, whSwap[2].Changed);
    }

    [Fact]
    public void A_cancelled_probe_run_resumes_where_it_stopped_and_ends_as_an_uninterrupted_one()
    {
        var (database, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        var request = new ProbeRequest(run.Id, [ProbeKind.EntitySwap], Seed: 3, ProbeSlice.WholeRun(), BatchSize: 4);
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => ProbeRunner.Run(database, reader, request,
            new SyncProgress<ProbeProgress>(p => { if (p.Done >= 4) { cancel.Cancel(); } }), cancel.Token));
        var store = new ProbeStore(database);
        var stopped = Assert.Single(store.List(run.Id));
        Assert.False(stopped.IsFinished);
        Assert.Equal(4, store.Results(stopped.Id).Count);

        var resumed = Assert.Single(ProbeRunner.Run(database, reader, request));
        Assert.Equal(stopped.Id, resumed.Id);
        var fresh = Assert.Single(ProbeRunner.Run(database, reader, request with { BatchSize = 12 }));
        Assert.NotEqual(resumed.Id, fresh.Id);
        Assert.Equal(store.Results(fresh.Id), store.Results(resumed.Id), ResultComparer.Instance);
        Assert.Equal((fresh.ApplicableCount, fresh.FlipCount), (resumed.ApplicableCount, resumed.FlipCount));
    }

    [Fact]
    public void The_map_reads_each_samples_outcome_under_the_latest_finished_probe_run()
    {
        var (database, run) = AnalysedRun();
        var field = MapFields.Probe(ProbeKind.EntitySwap);
        Assert.Same(field, MapFields.Get("probe_entity_swap"));
        Assert.All(MapPoints.Load(database, run.Id).Categorical(field).Values, v => Assert.Equal(ProbeStore.NotProbed, v));

        using var reader = new WhatIfReader(threads: 1);
        var slice = new ProbeSlice(ProbeSliceKind.Title, "Casablanca");
        var probeRun = Assert.Single(ProbeRunner.Run(database, reader, new ProbeRequest(run.Id, [ProbeKind.EntitySwap], 1, slice)));
        var store = new ProbeStore(database);
        Assert.Equal([6, 7, 8], store.SliceIndices(run.Id, slice));
        var expected = store.Results(probeRun.Id).ToDictionary(r => r.SampleIndex, r => !r.Applicable ? ProbeStore.NotApplicable : r.Flipped == true ? "yes" : "no");

        var points = MapPoints.Load(database, run.Id);
        var column = points.Categorical(field);
        for (var p = 0; p < points.Count; p++)
        {
            Assert.Equal(expected.GetValueOrDefault(points.SampleIndex[p], ProbeStore.NotProbed), column.ValueAt(p));
        }
        Assert.Equal(ProbeStore.NotProbed, points.Categorical(MapFields.Probe(ProbeKind.Distractor)).ValueAt(0));
        Assert.Equal("Flips under entity swap", field.Label);
    }

    [Fact]
    public void The_store_round_trips_results_and_counts_them()
    {
        var (database, run) = AnalysedRun();
        var store = new ProbeStore(database, new FixedClock(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero)));
        var slice = ProbeSlice.WholeRun(limit: 3);
        var start = store.Begin(run.Id, ProbeKind.Distractor, 9, slice, 3);
        Assert.Empty(start.Done);
        ProbeSampleResult[] results =
        [
            new(0, true, null, "appended: “X.”", "Q0?", "C0", [new GoldAnswer("France", 2)], "France", 1, "Paris", 0, true, true),
            new(1, false, "the question has no wh-word", null, null, null, null, "Rollo", 0.5, null, null, null, null),
            new(2, true, null, "appended: “Y.”", "Q2?", "C2", [new GoldAnswer("1066", 0)], "1066", 1, "1066", 1, false, false),
        ];
        store.Add(start.Run.Id, run.Id, results[..2]);
        Assert.Equal(new HashSet<int> { 0, 1 }, store.Begin(run.Id, ProbeKind.Distractor, 9, slice, 3).Done);
        Assert.Empty(store.Begin(run.Id, ProbeKind.Distractor, 10, slice, 3).Done);
        store.Add(start.Run.Id, run.Id, results[2..]);
        var info = store.Finish(start.Run.Id);

        Assert.Equal(results, store.Results(info.Id), ResultComparer.Instance);
        Assert.Equal((2, 1, -0.5, 0.5), (info.ApplicableCount!.Value, info.FlipCount!.Value, info.MeanF1Change!.Value, info.FlipRate!.Value));
        Assert.Equal(("whole run (first 3)", 9, ProbeKind.Distractor), (info.Slice, info.Seed, info.Probe));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), info.FinishedAt);
        var flip = Assert.Single(store.Flips(info.Id));
        Assert.Equal((0, "appended: “X.”", "France", "Paris", -1.0), (flip.SampleIndex, flip.Change, flip.OriginalPrediction, flip.ProbedPrediction, flip.F1Change));
        Assert.Equal(2, store.List(run.Id).Count);
    }

    [Fact]
    public void Migration_10_creates_the_probe_tables_with_their_checks_and_cascades()
    {
        var (database, run) = AnalysedRun();
        using var connection = database.Open();
        Assert.Equal(10, SchemaMigrator.CurrentVersion(connection));
        using var bad = connection.CreateCommand();
        bad.CommandText = "INSERT INTO probe_runs (run_id, probe, seed, slice, slice_key, status, sample_count, created_at) VALUES ($run, 'paraphrase', 1, '', '', 'incomplete', 0, '')";
        bad.Parameters.AddWithValue("$run", run.Id);
        Assert.Contains("CHECK constraint failed", Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => bad.ExecuteNonQuery()).Message, StringComparison.Ordinal);

        var store = new ProbeStore(database);
        var start = store.Begin(run.Id, ProbeKind.WhSwap, 1, ProbeSlice.WholeRun(), 12);
        store.Add(start.Run.Id, run.Id, [new ProbeSampleResult(0, false, "the question has no wh-word", null, null, null, null, "x", 0, null, null, null, null)]);
        using var delete = connection.CreateCommand();
        delete.CommandText = "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE id = $run";
        delete.Parameters.AddWithValue("$run", run.Id);
        delete.ExecuteNonQuery();
        Assert.Empty(store.List(run.Id));
        Assert.Empty(store.Results(start.Run.Id));
    }

    private sealed class ResultComparer : IEqualityComparer<ProbeSampleResult>
    {
        public static ResultComparer Instance { get; } = new();

        public bool Equals(ProbeSampleResult? x, ProbeSampleResult? y) =>
            x is not null && y is not null && x with { ProbedGolds = null } == y with { ProbedGolds = null }
            && (x.ProbedGolds ?? []).SequenceEqual(y.ProbedGolds ?? []);

        public int GetHashCode(ProbeSampleResult obj) => obj.SampleIndex;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
