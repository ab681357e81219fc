using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>The columns of one <c>samples</c> row that the sample and review pages show.</summary>
public sealed record RunSample(
    long RunId, int SampleIndex, string ExampleId, string Split, string Title, string Question, string Context,
    IReadOnlyList<GoldAnswer> GoldAnswers, string Prediction, int PredictionStart, int PredictionEnd, double PredictionProbability,
    double StartProbability, double EndProbability, int LossWindow, bool LossOnCls, double LossStart, double LossEnd, double Loss,
    bool ExactMatch, double F1, string Relation, string QuestionType, string AnswerType, int WindowCount, LabelScores Label)
{
    /// <summary>The sample as a SQuAD example again (answers in UTF-16 offsets), for featurizing it as the run did.</summary>
    public SquadExample ToExample() => new(
        ExampleId, Title, Context, Question, [.. GoldAnswers.Select(a => new SquadAnswer(a.Text, a.Start))], GoldAnswers.Count == 0,
        new SquadLocation(0, 0, 0));
}

/// <summary>Reads <see cref="RunSample"/> rows.</summary>
public sealed class RunSampleReader(SqliteConnectionFactory database)
{
    private static readonly string Columns = $"""
        s.run_id, s.sample_index, s.example_id, s.split, s.title, s.question, s.context, s.gold_answers_json, s.prediction,
        s.prediction_start, s.prediction_end, s.prediction_probability, s.start_probability, s.end_probability, s.loss_window,
        s.loss_on_cls, s.loss_start, s.loss_end, s.loss, s.exact_match, s.f1, s.relation, s.question_type, s.answer_type,
        s.window_count, {LabelScoreColumns.Select("s")}
        """;

    public SqliteConnectionFactory Database { get; } = database ?? throw new ArgumentNullException(nameof(database));

    public RunSample? Find(long runId, int sampleIndex) =>
        Query($"SELECT {Columns} FROM samples s WHERE s.run_id = $run AND s.sample_index = $sample", ("$run", runId), ("$sample", sampleIndex))
            .FirstOrDefault();

    /// <summary>The samples of a run with these indices, in the order of <paramref name="sampleIndices"/> (missing ones skipped).</summary>
    public IReadOnlyList<RunSample> FindMany(long runId, IReadOnlyList<int> sampleIndices)
    {
        ArgumentNullException.ThrowIfNull(sampleIndices);
        if (sampleIndices.Count == 0)
        {
            return [];
        }
        var byIndex = Query(
                $"SELECT {Columns} FROM samples s WHERE s.run_id = $run AND s.sample_index IN (SELECT value FROM json_each($indices))",
                ("$run", runId), ("$indices", JsonSerializer.Serialize(sampleIndices)))
            .ToDictionary(s => s.SampleIndex);
        return [.. sampleIndices.Where(byIndex.ContainsKey).Select(i => byIndex[i])];
    }

    /// <summary>Every sample of a run, in sample order.</summary>
    public IReadOnlyList<RunSample> All(long runId) =>
        Query($"SELECT {Columns} FROM samples s WHERE s.run_id = $run ORDER BY s.sample_index", ("$run", runId));

    private List<RunSample> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var samples = new List<RunSample>();
        while (reader.Read())
        {
            var runId = reader.GetInt64(0);
            var sampleIndex = reader.GetInt32(1);
            samples.Add(new RunSample(
                runId, sampleIndex, reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                GoldAnswer.ParseJson(reader.GetString(7), $"run {runId} sample {sampleIndex}"), reader.GetString(8), reader.GetInt32(9),
                reader.GetInt32(10), reader.GetDouble(11), reader.GetDouble(12), reader.GetDouble(13), reader.GetInt32(14),
                reader.GetInt64(15) != 0, reader.GetDouble(16), reader.GetDouble(17), reader.GetDouble(18), reader.GetInt64(19) != 0,
                reader.GetDouble(20), reader.GetString(21), reader.GetString(22), reader.GetString(23), reader.GetInt32(24),
                LabelScoreColumns.Read(reader, 25, $"run {runId} sample {sampleIndex}")));
        }
        return samples;
    }
}
