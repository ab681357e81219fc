using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>The wide reads of <c>samples</c>: whole sample rows for the sample and review pages (<see cref="RunSample"/>, through
/// <see cref="RunSampleReader"/>) and the map's one columnar query (<see cref="Exploration.MapPoints"/>).</summary>
public sealed partial class RunStore
{
    /// <summary>What a <see cref="RunSample"/> is read from.</summary>
    private static readonly string RunSampleColumns = SampleColumns.List(
        SampleColumns.RunId, SampleColumns.SampleIndex, SampleColumns.ExampleId, SampleColumns.Split, SampleColumns.Title, SampleColumns.Question,
        SampleColumns.Context, SampleColumns.GoldAnswersJson, SampleColumns.Prediction, SampleColumns.PredictionStart, SampleColumns.PredictionEnd,
        SampleColumns.PredictionProbability, SampleColumns.StartProbability, SampleColumns.EndProbability, SampleColumns.LossWindow,
        SampleColumns.LossOnCls, SampleColumns.Loss, SampleColumns.ExactMatch, SampleColumns.F1, SampleColumns.Relation, SampleColumns.QuestionType,
        SampleColumns.AnswerType, SampleColumns.WindowCount, SampleColumns.Answerable, SampleColumns.NullScore, SampleColumns.NullScoreDiff,
        SampleColumns.NoAnswerProbability, SampleColumns.PredictedNoAnswer, SampleColumns.Outcome, SampleColumns.NBestJson, LabelScoreColumns.Select());

    /// <summary>The name the map's query gives the text of the gold answer the prediction scores best against.</summary>
    private const string BestGold = "best_gold_text";

    /// <summary>Sample <paramref name="sampleIndex"/> of run <paramref name="runId"/>; null when there is none.</summary>
    public RunSample? Sample(long runId, int sampleIndex) =>
        QuerySamples($"SELECT {RunSampleColumns} FROM samples WHERE run_id = $run AND sample_index = $sample", ("$run", runId), ("$sample", sampleIndex))
            .FirstOrDefault();

    /// <summary>The sample of run <paramref name="runId"/> whose question id is <paramref name="exampleId"/> (lowest sample index
    /// first); null when there is none.</summary>
    public RunSample? SampleOfQuestion(long runId, string exampleId)
    {
        ArgumentNullException.ThrowIfNull(exampleId);
        return QuerySamples(
                $"SELECT {RunSampleColumns} FROM samples WHERE run_id = $run AND {SampleColumns.ExampleId} = $example ORDER BY {SampleColumns.SampleIndex} LIMIT 1",
                ("$run", runId), ("$example", exampleId))
            .FirstOrDefault();
    }

    /// <summary>The samples of a run with these indices, in the order of <paramref name="sampleIndices"/> (missing ones skipped).</summary>
    public IReadOnlyList<RunSample> Samples(long runId, IReadOnlyList<int> sampleIndices)
    {
        ArgumentNullException.ThrowIfNull(sampleIndices);
        if (sampleIndices.Count == 0)
        {
            return [];
        }
        var byIndex = QuerySamples(
                $"SELECT {RunSampleColumns} FROM samples WHERE run_id = $run AND sample_index IN (SELECT value FROM json_each($indices))",
                ("$run", runId), ("$indices", JsonSerializer.Serialize(sampleIndices)))
            .ToDictionary(s => s.SampleIndex);
        return [.. sampleIndices.Where(byIndex.ContainsKey).Select(i => byIndex[i])];
    }

    /// <summary>Every sample of a run, in sample order.</summary>
    public IReadOnlyList<RunSample> Samples(long runId) =>
        QuerySamples($"SELECT {RunSampleColumns} FROM samples WHERE run_id = $run ORDER BY sample_index", ("$run", runId));

    /// <summary>
    /// The map of run <paramref name="runId"/> (no points when the run has no samples), read with ONE query: every sample in
    /// sample order with both projections, the texts the hover shows and every <see cref="MapFields"/> column (or expression: a
    /// probe field reads the latest finished probe run of its kind). The ordinals are
    /// looked up by name once per query, not per row: this loop reads every column of up to 100k rows.
    /// </summary>
    public MapPoints Map(long runId)
    {
        var fields = MapFields.All;
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SampleColumns.List(SampleColumns.SampleIndex, SampleColumns.UmapX, SampleColumns.UmapY, SampleColumns.PcaX, SampleColumns.PcaY)}, " +
            $"{SampleColumns.Question}, {SampleColumns.Prediction}, {SampleColumns.GoldAnswersJson}, " +
            $"coalesce(json_extract({SampleColumns.GoldAnswersJson}, '$[' || {SampleColumns.BestGoldIndex} || '].{GoldAnswer.TextField}'), '') AS {BestGold}, " +
            SampleColumns.List(fields.Select(f => f.Select)) +
            $" FROM samples WHERE run_id = $run ORDER BY {SampleColumns.SampleIndex}";
        command.Parameters.AddWithValue("$run", runId);

        var count = SampleCount(connection, runId);
        var map = new MapPointsBuilder(runId, count, fields);
        using var reader = command.ExecuteReader();
        var (indexAt, umapXAt, umapYAt, pcaXAt, pcaYAt) = (reader.GetOrdinal(SampleColumns.SampleIndex), reader.GetOrdinal(SampleColumns.UmapX),
            reader.GetOrdinal(SampleColumns.UmapY), reader.GetOrdinal(SampleColumns.PcaX), reader.GetOrdinal(SampleColumns.PcaY));
        var (questionAt, goldAt, predictionAt) = (reader.GetOrdinal(SampleColumns.Question), reader.GetOrdinal(BestGold), reader.GetOrdinal(SampleColumns.Prediction));
        var fieldAt = fields.Select(f => reader.GetOrdinal(f.Name)).ToArray();
        var goldsAt = reader.GetOrdinal(SampleColumns.GoldAnswersJson);
        var i = 0;
        while (reader.Read())
        {
            if (i == count)
            {
                throw new InvalidOperationException($"run {runId} gained samples while its map was read; reload the page");
            }
            map.SampleIndex[i] = reader.GetInt32(indexAt);
            map.UmapX[i] = NumberOrNaN(reader, umapXAt);
            map.UmapY[i] = NumberOrNaN(reader, umapYAt);
            map.PcaX[i] = NumberOrNaN(reader, pcaXAt);
            map.PcaY[i] = NumberOrNaN(reader, pcaYAt);
            map.Question[i] = reader.GetString(questionAt);
            map.Gold[i] = reader.GetString(goldAt);
            map.Prediction[i] = reader.GetString(predictionAt);
            for (var f = 0; f < fields.Count; f++)
            {
                var field = fields[f];
                if (field.Name == SampleColumns.Relation && !reader.IsDBNull(fieldAt[f]))
                {
                    // The relation slice: "quotation marks only" split out of the stored relation, as the Slices page shows it.
                    var golds = GoldAnswer.ParseJson(reader.GetString(goldsAt), string.Create(CultureInfo.InvariantCulture, $"run {runId} sample {map.SampleIndex[i]}"));
                    map.Category(f, i, RunSlices.RelationSlice(reader.GetString(fieldAt[f]), map.Prediction[i], golds.Select(g => g.Text)));
                }
                else if (field.IsCategorical)
                {
                    map.Category(f, i, CategoryOf(reader, fieldAt[f], field));
                }
                else
                {
                    map.Number(f, i, NumberOrNaN(reader, fieldAt[f]));
                }
            }
            i++;
        }
        if (i != count)
        {
            throw new InvalidOperationException($"run {runId} lost samples while its map was read; reload the page");
        }
        return map.Build();
    }

    private static double NumberOrNaN(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    /// <summary>A categorical map field's value as the map shows it: NULL as <see cref="MapFields.Missing"/>, a 0/1 column as
    /// <see cref="MapFields.Yes"/>/<see cref="MapFields.No"/>, numbers (clusters) as invariant text.</summary>
    private static string CategoryOf(SqliteDataReader reader, int ordinal, MapField field) =>
        reader.IsDBNull(ordinal) ? MapFields.Missing
        : field.IsBoolean ? (reader.GetInt64(ordinal) != 0 ? MapFields.Yes : MapFields.No)
        : reader.GetValue(ordinal) is string text ? text
        : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? MapFields.Missing;

    private static RunSample ReadSample(SqliteDataReader row)
    {
        var runId = row.Int64(SampleColumns.RunId);
        var sampleIndex = row.Int32(SampleColumns.SampleIndex);
        var source = $"run {runId} sample {sampleIndex}";
        var nbest = NBestEntry.ParseJson(row.Text(SampleColumns.NBestJson), source);
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
                nbest is [var best, ..] ? best.Text : ""), nbest);
    }

    private List<RunSample> QuerySamples(string sql, params (string Name, object Value)[] parameters)
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
            samples.Add(ReadSample(reader));
        }
        return samples;
    }
}
