using System.Globalization;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Runs;

/// <summary>Runs over SQuAD 2.0 populations: unanswerable questions are analysed, not refused.</summary>
public sealed class RunPopulationTests
{
    private sealed record StoredSample(
        int Index, string Id, bool Answerable, string Prediction, bool PredictedNoAnswer, double NullScore, double? NullScoreDiff,
        double NoAnswerProbability, bool ExactMatch, double F1, bool SpanExactMatch, double SpanF1, string Outcome, bool LossOnCls,
        int LossWindow, double Loss, double PredictionScore, string AnswerType, string Relation, string NBestJson);

    [Fact]
    public void A_v20_file_with_an_unanswerable_question_completes_with_the_v2_fields()
    {
        var database = RunFixture.NewDatabase();
        var file = TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json"));
        var population = PopulationPresets.Dev(SquadLoader.Load(file));
        var request = new AnalysisRequest(RunFixture.ModelFolder(seed: 1), population, [file], RunFixture.Settings, Threads: 1);

        var result = AnalysisRunner.Run(database, request);

        Assert.True(population.IsVersion2);
        var run = new RunStore(database).Find(result.RunId)!;
        Assert.True(run.IsFinished);
        Assert.Contains("\"NullThreshold\":0", run.SettingsJson, StringComparison.Ordinal);
        var samples = Samples(database, result.RunId);
        Assert.Equal([true, false], samples.Select(s => s.Answerable));
        var unanswerable = samples[1];
        Assert.True(unanswerable.LossOnCls);
        Assert.Equal("no answer", unanswerable.AnswerType);
        Assert.Equal(unanswerable.PredictedNoAnswer ? "right abstention" : "false answer", unanswerable.Outcome);
        Assert.Equal(unanswerable.PredictedNoAnswer ? "exact" : "disjoint", unanswerable.Relation);
    }

    /// <summary>
    /// The integration check at test scale: 16 questions of the shared dev-v2.0.json (title Normans) with the
    /// tiny random reader, once with the default threshold 0.0 and once with the model folder's
    /// <c>null_score_diff_threshold</c> set so low that it abstains everywhere. Every stored v2 field is checked against
    /// the pipeline's own post-processing and the official v2 metric, and the run's EM/F1 equal evaluate-v2.0.py's.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(-1e6)]
    public void A_slice_of_dev_v20_completes_with_answerability_null_scores_and_outcomes(double? folderThreshold)
    {
        var database = RunFixture.NewDatabase();
        var model = RunFixture.ModelFolder(seed: 3);
        if (folderThreshold is { } value)
        {
            var config = Path.Combine(model, EncoderConfig.FileName);
            var json = File.ReadAllText(config).TrimEnd();
            File.WriteAllText(config, json[..^1].TrimEnd() + string.Create(CultureInfo.InvariantCulture, $",\n  \"{ModelNullThreshold.FieldName}\": {value}\n}}\n"));
        }
        var population = new PopulationRequest("custom", Splits: [new SplitRequest("part", TestPaths.DevV20, 16, ["Normans"])])
            .Draw(path => path, out var files);
        var request = new AnalysisRequest(model, population, files, RunFixture.Settings, Threads: 1);

        var result = AnalysisRunner.Run(database, request);

        var threshold = folderThreshold ?? 0.0;
        var run = new RunStore(database).Find(result.RunId)!;
        Assert.True(run.IsFinished);
        var settings = System.Text.Json.JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)!;
        Assert.Equal(threshold, settings.NullThreshold);
        var samples = Samples(database, result.RunId);
        Assert.Equal(16, samples.Count);
        Assert.Contains(samples, s => s.Answerable);
        Assert.Contains(samples, s => !s.Answerable);

        var examples = population.Members.Select(m => m.Example).ToList();
        using var pipeline = QaPipeline.Open(model, RunFixture.Settings.Featurizer, threads: 1);
        var answered = pipeline.Answer(examples, new QaRunOptions(4), RunFixture.Settings.PostProcessing with { NullThreshold = threshold });
        foreach (var sample in samples)
        {
            var example = examples[sample.Index];
            var prediction = answered.Predictions[sample.Index];
            var golds = example.Answers.Select(a => a.Text).ToList();
            Assert.Equal(example.Id, sample.Id);
            Assert.Equal(example.Answers.Count > 0, sample.Answerable);
            Assert.Equal(prediction.Text, sample.Prediction);
            Assert.Equal(prediction.Text.Length == 0, sample.PredictedNoAnswer);
            Assert.Equal(prediction.NullScore, sample.NullScore, 6);
            Assert.Equal(prediction.NullScoreDiff!.Value, sample.NullScoreDiff!.Value, 6);
            Assert.Equal(prediction.NoAnswerProbability, sample.NoAnswerProbability, 9);
            Assert.Equal(OfficialSquadV2Metric.Exact(prediction.Text, golds) == 1, sample.ExactMatch);
            Assert.Equal(OfficialSquadV2Metric.F1(prediction.Text, golds), sample.F1, 12);
            Assert.Equal(OfficialSquadV2Metric.Exact(prediction.Best!.Text, golds) == 1, sample.SpanExactMatch);
            Assert.Equal(OfficialSquadV2Metric.F1(prediction.Best.Text, golds), sample.SpanF1, 12);
            Assert.Equal(SampleOutcomes.Of(sample.Answerable, sample.PredictedNoAnswer, sample.ExactMatch), sample.Outcome);
            Assert.Equal(prediction.NBest[0].Text, NBestEntry.ParseJson(sample.NBestJson, "sample")[0].Text);
            if (sample.PredictedNoAnswer)
            {
                Assert.Equal(sample.NullScore, sample.PredictionScore, 6);
            }
            if (!sample.Answerable)
            {
                // Hugging Face's label for an unanswerable question: start and end on [CLS] of the first window.
                var window = answered.Outputs.Single(o => o.Window.ExampleIndex == sample.Index && o.Window.WindowIndex == 0);
                Assert.Equal((true, 0), (sample.LossOnCls, sample.LossWindow));
                Assert.Equal(TokenSpanMetrics.Loss(window.StartLogits, window.EndLogits, new TokenSpan(0, 0)).Mean, sample.Loss, 6);
            }
        }
        if (folderThreshold is not null)
        {
            Assert.All(samples, s => Assert.True(s.PredictedNoAnswer));
            Assert.All(samples, s => Assert.Equal(s.Answerable ? "wrong abstention" : "right abstention", s.Outcome));
        }
        var official = OfficialSquadV2Metric.Evaluate(examples, answered.Predictions.ToDictionary(p => p.ExampleId, p => p.Text));
        Assert.Equal(official.All.Exact, run.ExactMatch!.Value, 9);
        Assert.Equal(official.All.F1, run.F1!.Value, 9);
        // Re-applying the run's own threshold to the stored fields gives the official figures back, HasAns and NoAns too.
        var again = NoAnswerThresholdCurve.At(RunNoAnswerSamples.Load(database, result.RunId)!, threshold);
        Assert.Equal((official.All.Exact, official.All.F1), (again.Exact, again.F1), new ToleranceComparer());
        Assert.Equal((official.HasAnswer!.Exact, official.HasAnswer.F1), (again.HasAnsExact, again.HasAnsF1), new ToleranceComparer());
        Assert.Equal((official.NoAnswer!.Exact, official.NoAnswer.F1), (again.NoAnsExact, again.NoAnsF1), new ToleranceComparer());
        Assert.Equal(samples.Count(s => s.PredictedNoAnswer), again.Abstentions);

        // The latent stages, label-error components included, take unanswerable samples (no gold span) in their stride.
        LatentAnalyzer.Run(database, result.RunId, new LatentSettings { ClusterCount = 4, MinClusterSize = 3, NeighbourCount = 5, TrustworthinessNeighbours = 3 });
        var scores = new LatentStore(database).LabelScores(result.RunId);
        Assert.Equal(16, scores.Count);
        Assert.All(scores, s => Assert.True(s.Label.ErrorScore is { } score && double.IsFinite(score)));

        // The map colours by the new fields: one category per stored outcome, the gold of an unanswerable sample is "".
        var map = MapPoints.Load(database, result.RunId);
        var outcome = map.Categorical(MapFields.Get("outcome"));
        Assert.Equal(samples.Select(s => s.Outcome), Enumerable.Range(0, map.Count).Select(outcome.ValueAt));
        Assert.Equal(samples.Select(s => s.NoAnswerProbability), map.Numeric(MapFields.Get("no_answer_probability")));
        Assert.All(Enumerable.Range(0, map.Count).Where(p => !samples[p].Answerable), p => Assert.Equal("", map.Gold[p]));
    }

    [Fact]
    public void Label_error_components_of_an_unanswerable_sample_are_defined()
    {
        var input = new LabelErrorInput("What is purple?", "Grass is green and sky is blue.", [], 0.5, 0.7, "disjoint", 0.9, null,
            [new NBestEntry("sky", 19, 22, 0.9)]);

        var components = LabelErrorComponents.Of(input, 0.2);

        Assert.Equal((0.5, 0.7, 0.9, 0.0, 0.0, 0), (components.LossStart, components.LossEnd, components.DisjointConfidence, components.DisjointDistance,
            components.GoldDisagreement, components.AnswerOccurrences));
        Assert.Equal((0.0, (int?)null, 0.0), (components.GoldSpanMass, components.GoldNBestRank, components.AnswerTypeMismatch));
    }

    private static List<StoredSample> Samples(SqliteConnectionFactory database, long runId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sample_index, example_id, answerable, prediction, predicted_no_answer, null_score, null_score_diff, no_answer_probability,
                   exact_match, f1, span_exact_match, span_f1, outcome, loss_on_cls, loss_window, loss, prediction_score, answer_type, relation, nbest_json
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredSample>();
        while (reader.Read())
        {
            rows.Add(new StoredSample(reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.GetBoolean(4),
                reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.GetDouble(7), reader.GetBoolean(8), reader.GetDouble(9),
                reader.GetBoolean(10), reader.GetDouble(11), reader.GetString(12), reader.GetBoolean(13), reader.GetInt32(14), reader.GetDouble(15),
                reader.GetDouble(16), reader.GetString(17), reader.GetString(18), reader.GetString(19)));
        }
        return rows;
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) < 1e-9 && Math.Abs(x.Item2 - y.Item2) < 1e-9;

        public int GetHashCode((double, double) obj) => 0;
    }
}
