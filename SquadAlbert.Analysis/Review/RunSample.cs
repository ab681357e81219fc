using System.Text.Json;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>A sample's SQuAD 2.0 columns (migration 8), as the sample page and the label review show them; the values are
/// null in rows written before that migration.</summary>
/// <param name="Answerable">The question has a gold answer (<c>answerable</c>).</param>
/// <param name="NullScore">The <c>[CLS]</c> start + end logit, the minimum over windows (<c>null_score</c>).</param>
/// <param name="NullScoreDiff">Null score − best span score (<c>null_score_diff</c>); null when no span exists.</param>
/// <param name="NoAnswerProbability">The null score's softmax share against the n-best spans (<c>no_answer_probability</c>).</param>
/// <param name="PredictedNoAnswer">The reader abstained (<c>predicted_no_answer</c>).</param>
/// <param name="Outcome">One of <see cref="SampleOutcomes.All"/> (<c>outcome</c>).</param>
/// <param name="BestSpanText">The best non-null span's text (first <c>nbest_json</c> entry; "" without one).</param>
public sealed record SampleNoAnswer(
    bool Answerable, double? NullScore, double? NullScoreDiff, double? NoAnswerProbability, bool PredictedNoAnswer, string? Outcome, string BestSpanText)
{
    /// <summary>The best span's start + end logit: null score − (null score − best span score).</summary>
    public double? BestSpanScore => NullScore is { } nullScore && NullScoreDiff is { } diff ? nullScore - diff : null;
}

/// <summary>The columns of one <c>samples</c> row that the sample and review pages show.</summary>
/// <param name="NoAnswer">The SQuAD 2.0 columns; null only where a caller builds a sample without them (tests).</param>
public sealed record RunSample(
    long RunId, int SampleIndex, string ExampleId, string Split, string Title, string Question, string Context,
    IReadOnlyList<GoldAnswer> GoldAnswers, string Prediction, int PredictionStart, int PredictionEnd, double PredictionProbability,
    double StartProbability, double EndProbability, int LossWindow, bool LossOnCls, double LossStart, double LossEnd, double Loss,
    bool ExactMatch, double F1, string Relation, string QuestionType, string AnswerType, int WindowCount, LabelScores Label,
    SampleNoAnswer? NoAnswer = null)
{
    /// <summary>Marked unanswerable (SQuAD 2.0).</summary>
    public bool IsUnanswerable => NoAnswer is { Answerable: false };

    /// <summary><see cref="AnswerabilityCheck"/> of the stored fields; <see cref="AnswerabilitySuspicion.None"/> without a
    /// no-answer probability. Only meaningful in a SQuAD 2.0 run (in a v1.1 run the reader was never asked to abstain).</summary>
    public AnswerabilitySuspicion Answerability => NoAnswer is { NoAnswerProbability: { } probability } noAnswer
        ? AnswerabilityCheck.Of(Question, noAnswer.Answerable, [.. GoldAnswers.Select(g => g.Text)], noAnswer.BestSpanText, probability)
        : AnswerabilitySuspicion.None;

    /// <summary>The sample as a SQuAD example again (answers in UTF-16 offsets), for featurizing it as the run did.</summary>
    public SquadExample ToExample() => new(
        ExampleId, Title, Context, Question, [.. GoldAnswers.Select(a => new SquadAnswer(a.Text, a.Start))], GoldAnswers.Count == 0,
        new SquadLocation(0, 0, 0));
}

/// <summary>Reads <see cref="RunSample"/> rows.</summary>
public sealed class RunSampleReader(SqliteConnectionFactory database)
{
    private static readonly string Columns = SampleColumns.List(
        SampleColumns.RunId, SampleColumns.SampleIndex, SampleColumns.ExampleId, SampleColumns.Split, SampleColumns.Title, SampleColumns.Question,
        SampleColumns.Context, SampleColumns.GoldAnswersJson, SampleColumns.Prediction, SampleColumns.PredictionStart, SampleColumns.PredictionEnd,
        SampleColumns.PredictionProbability, SampleColumns.StartProbability, SampleColumns.EndProbability, SampleColumns.LossWindow,
        SampleColumns.LossOnCls, SampleColumns.Loss, SampleColumns.ExactMatch, SampleColumns.F1, SampleColumns.Relation, SampleColumns.QuestionType,
        SampleColumns.AnswerType, SampleColumns.WindowCount, SampleColumns.Answerable, SampleColumns.NullScore, SampleColumns.NullScoreDiff,
        SampleColumns.NoAnswerProbability, SampleColumns.PredictedNoAnswer, SampleColumns.Outcome, SampleColumns.NBestJson, LabelScoreColumns.Select());

    public SqliteConnectionFactory Database { get; } = database ?? throw new ArgumentNullException(nameof(database));

    public RunSample? Find(long runId, int sampleIndex) =>
        Query($"SELECT {Columns} FROM samples WHERE run_id = $run AND sample_index = $sample", ("$run", runId), ("$sample", sampleIndex))
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
                $"SELECT {Columns} FROM samples WHERE run_id = $run AND sample_index IN (SELECT value FROM json_each($indices))",
                ("$run", runId), ("$indices", JsonSerializer.Serialize(sampleIndices)))
            .ToDictionary(s => s.SampleIndex);
        return [.. sampleIndices.Where(byIndex.ContainsKey).Select(i => byIndex[i])];
    }

    /// <summary>Every sample of a run, in sample order.</summary>
    public IReadOnlyList<RunSample> All(long runId) =>
        Query($"SELECT {Columns} FROM samples WHERE run_id = $run ORDER BY sample_index", ("$run", runId));

    private static RunSample Read(SqliteDataReader row)
    {
        var runId = row.Int64(SampleColumns.RunId);
        var sampleIndex = row.Int32(SampleColumns.SampleIndex);
        var source = $"run {runId} sample {sampleIndex}";
        return new RunSample(
            runId, sampleIndex, row.Text(SampleColumns.ExampleId), row.Text(SampleColumns.Split), row.Text(SampleColumns.Title),
            row.Text(SampleColumns.Question), row.Text(SampleColumns.Context), GoldAnswer.ParseJson(row.Text(SampleColumns.GoldAnswersJson), source),
            row.Text(SampleColumns.Prediction), row.Int32(SampleColumns.PredictionStart), row.Int32(SampleColumns.PredictionEnd),
            row.Real(SampleColumns.PredictionProbability), row.Real(SampleColumns.StartProbability), row.Real(SampleColumns.EndProbability),
            row.Int32(SampleColumns.LossWindow), row.Flag(SampleColumns.LossOnCls), row.Real(SampleColumns.LossStart), row.Real(SampleColumns.LossEnd),
            row.Real(SampleColumns.Loss), row.Flag(SampleColumns.ExactMatch), row.Real(SampleColumns.F1), row.Text(SampleColumns.Relation),
            row.Text(SampleColumns.QuestionType), row.Text(SampleColumns.AnswerType), row.Int32(SampleColumns.WindowCount),
            LabelScoreColumns.Read(row, source),
            new SampleNoAnswer(row.Flag(SampleColumns.Answerable), row.RealOrNull(SampleColumns.NullScore), row.RealOrNull(SampleColumns.NullScoreDiff),
                row.RealOrNull(SampleColumns.NoAnswerProbability), row.Flag(SampleColumns.PredictedNoAnswer), row.TextOrNull(SampleColumns.Outcome),
                NBestEntry.ParseJson(row.Text(SampleColumns.NBestJson), source) is [var best, ..] ? best.Text : ""));
    }

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
            samples.Add(Read(reader));
        }
        return samples;
    }
}
