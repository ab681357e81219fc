using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class AnalysisRunnerTests
{
    [Fact]
    public void Computes_one_consistent_row_per_question()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var reports = new List<AnalysisProgress>();

        var result = AnalysisRunner.Run(database, RunFixture.Request(model), SynchronousProgress.Create(reports.Add));

        Assert.Equal((AnalysisOutcome.Computed, 4, 0), (result.Outcome, result.BatchesComputed, result.BatchesSkipped));
        var run = new RunStore(database).Find(result.RunId)!;
        Assert.True(run.IsFinished);
        Assert.Equal(12, run.SampleCount);
        Assert.Equal([0, 3, 6, 9, 12], reports.Select(r => r.SamplesDone));
        Assert.Equal(1.0, reports[^1].Fraction);

        var examples = SquadLoader.Load(RunFixture.DataFile).Examples;
        using var pipeline = QaPipeline.Open(model, RunFixture.Settings.Featurizer, threads: 1);
        var answered = pipeline.Answer(examples, new QaRunOptions(4, IncludeEmbeddings: true), RunFixture.Settings.PostProcessing);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sample_index, example_id, context, prediction, prediction_start, prediction_end, exact_match, f1, loss_start, loss_end, loss,
                   loss_window, loss_on_cls, window_count, gold_positions_json, is_multi_window, question_type, answer_type
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", result.RunId);
        using var reader = command.ExecuteReader();
        var seen = 0;
        while (reader.Read())
        {
            var i = reader.GetInt32(0);
            var example = examples[i];
            Assert.Equal(example.Id, reader.GetString(1));
            var prediction = reader.GetString(3);
            Assert.Equal(prediction, reader.GetString(2)[reader.GetInt32(4)..reader.GetInt32(5)]);
            Assert.Equal(answered.Predictions[i].Text, prediction);
            var score = OfficialSquadMetric.Score(prediction, [.. example.Answers.Select(a => a.Text)]);
            Assert.Equal(score.ExactMatch, reader.GetBoolean(6));
            Assert.Equal(score.F1, reader.GetDouble(7));
            Assert.Equal((reader.GetDouble(8) + reader.GetDouble(9)) / 2, reader.GetDouble(10), 12);

            var windows = answered.Outputs.Where(o => o.Window.ExampleIndex == i).ToList();
            var lossWindow = windows.Single(w => w.Window.WindowIndex == reader.GetInt32(11));
            Assert.False(reader.GetBoolean(12));
            Assert.True(lossWindow.Window.ContainsAnswer);
            var expectedLoss = TokenSpanMetrics.Loss(lossWindow.StartLogits, lossWindow.EndLogits, new TokenSpan(lossWindow.Window.GoldStart, lossWindow.Window.GoldEnd));
            Assert.Equal(expectedLoss.Mean, reader.GetDouble(10), 6);
            Assert.Equal(windows.Count, reader.GetInt32(13));
            Assert.Equal(windows.Select(w => new[] { w.Window.GoldStart, w.Window.GoldEnd }), JsonSerializer.Deserialize<int[][]>(reader.GetString(14)));
            Assert.Equal(example.Title == "Normans", reader.GetBoolean(15));
            var embedding = new RunStore(database).Embedding(result.RunId, i, EmbeddingKinds.ContextMean);
            Assert.Equal(lossWindow.ContextMeanEmbedding, embedding);
            seen++;
        }
        Assert.Equal(12, seen);
        Assert.Equal("what year", RunFixture.Scalar<string>(database, "SELECT question_type FROM samples WHERE run_id = $run AND example_id = 'n-3'", result.RunId));
        Assert.Equal("year", RunFixture.Scalar<string>(database, "SELECT answer_type FROM samples WHERE run_id = $run AND example_id = 'n-3'", result.RunId));
        Assert.Equal("money", RunFixture.Scalar<string>(database, "SELECT answer_type FROM samples WHERE run_id = $run AND example_id = 'n-5'", result.RunId));
        Assert.Equal(1L, RunFixture.Scalar<long>(database, "SELECT gold_has_quotes FROM samples WHERE run_id = $run AND example_id = 'c-1' AND best_gold_index = 0", result.RunId));
    }

    [Fact]
    public void A_finished_run_is_not_recomputed_unless_forced()
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 1);
        var first = AnalysisRunner.Run(database, RunFixture.Request(model));
        var batches = RunFixture.BatchRows(database, first.RunId);

        var again = AnalysisRunner.Run(database, RunFixture.Request(model));
        var forced = AnalysisRunner.Run(database, RunFixture.Request(model, force: true));

        Assert.Equal((first.RunId, AnalysisOutcome.AlreadyFinished, 0), (again.RunId, again.Outcome, again.BatchesComputed));
        Assert.Equal(batches, RunFixture.BatchRows(database, first.RunId));
        Assert.NotEqual(first.RunId, forced.RunId);
        Assert.Equal((AnalysisOutcome.Computed, 4), (forced.Outcome, forced.BatchesComputed));
        Assert.Equal(RunFixture.Rows(database, first.RunId), RunFixture.Rows(database, forced.RunId));
    }

    [Fact]
    public void A_killed_run_resumes_without_recomputing_finished_batches()
    {
        var model = RunFixture.ModelFolder(seed: 1);
        var interrupted = RunFixture.NewDatabase();
        using var cancellation = new CancellationTokenSource();
        var cancelAfterTwo = SynchronousProgress.Create(p =>
        {
            if (p.BatchesDone == 2)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => AnalysisRunner.Run(interrupted, RunFixture.Request(model), cancelAfterTwo, cancellation.Token));
        var run = Assert.Single(new RunStore(interrupted).All());
        Assert.False(run.IsFinished);
        var committed = RunFixture.BatchRows(interrupted, run.Id);
        Assert.Equal([0, 1], committed.Select(b => b.Batch));
        Assert.Equal(6L, RunFixture.Scalar<long>(interrupted, "SELECT count(*) FROM samples WHERE run_id = $run", run.Id));

        var resumed = AnalysisRunner.Run(interrupted, RunFixture.Request(model));

        Assert.Equal((run.Id, AnalysisOutcome.Resumed, 2, 2), (resumed.RunId, resumed.Outcome, resumed.BatchesComputed, resumed.BatchesSkipped));
        Assert.Equal(committed, RunFixture.BatchRows(interrupted, run.Id).Take(2));
        var uninterrupted = RunFixture.NewDatabase();
        var reference = AnalysisRunner.Run(uninterrupted, RunFixture.Request(model));
        Assert.Equal(RunFixture.Rows(uninterrupted, reference.RunId), RunFixture.Rows(interrupted, run.Id));
        Assert.True(new RunStore(interrupted).Find(run.Id)!.IsFinished);
    }

    [Fact]
    public void Another_model_is_another_run()
    {
        var database = RunFixture.NewDatabase();

        var a = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1)));
        var b = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 2)));

        Assert.NotEqual(a.RunId, b.RunId);
        Assert.Equal(AnalysisOutcome.Computed, b.Outcome);
    }
}

public sealed class RunKeyTests
{
    [Fact]
    public void The_key_changes_with_model_settings_and_data_but_not_otherwise()
    {
        var population = PopulationPresets.Dev(SquadLoader.Load(RunFixture.DataFile));
        var edited = population with
        {
            Members = [.. population.Members.Select((m, i) => i == 4 ? m with { Example = m.Example with { Context = m.Example.Context + " " } } : m)],
        };
        var key = AnalysisRunner.RunKey("model", "{}", population);

        Assert.Equal(key, AnalysisRunner.RunKey("model", "{}", PopulationPresets.Dev(SquadLoader.Load(RunFixture.DataFile))));
        Assert.NotEqual(key, AnalysisRunner.RunKey("other", "{}", population));
        Assert.NotEqual(key, AnalysisRunner.RunKey("model", "{\"x\":1}", population));
        Assert.NotEqual(key, AnalysisRunner.RunKey("model", "{}", edited));
    }
}

internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

internal static class SynchronousProgress
{
    public static SynchronousProgress<AnalysisProgress> Create(Action<AnalysisProgress> report) => new(report);
}
