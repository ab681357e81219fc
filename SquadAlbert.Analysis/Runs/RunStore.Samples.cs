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
    /// The map of run <paramref name="runId"/> (no points when the run has no samples): every sample in sample order with both
    /// projections, the texts the hover shows and every <see cref="MapFields"/> column (or expression: a probe field reads the
    /// latest finished probe run of its kind). Two queries on two connections read it side by side, one the projections,
    /// texts and half the fields, the other the rest of the fields: reading the columns of up to 100k rows, not finding
    /// them, is the cost (a 100k-sample map: 1.8–2.0 s on one connection, 1.2–1.4 s on two; the map benchmark). Each query looks its
    /// ordinals up by name once, not per row.
    /// </summary>
    public MapPoints Map(long runId)
    {
        var fields = MapFields.All;
        int count;
        using (var connection = Database.Open())
        {
            count = SampleCount(connection, runId);
        }
        var map = new MapPointsBuilder(runId, count, fields);
        // The relation field parses each row's gold answers: it goes with the half that does not read the texts.
        var relation = fields.Select((f, i) => (f, i)).Single(p => p.f.Name == SampleColumns.Relation).i;
        var others = Enumerable.Range(0, fields.Count).Where(f => f != relation).ToArray();
        var withTexts = others.Where((_, k) => k % 3 == 0).ToArray();
        var rest = others.Where((_, k) => k % 3 != 0).Append(relation).ToArray();
        Parallel.Invoke(
            () => ReadMapColumns(runId, count, map, withTexts, withTexts: true),
            () => ReadMapColumns(runId, count, map, rest, withTexts: false));
        return map.Build();
    }

    /// <summary>Reads the map fields at <paramref name="fieldPositions"/> (into <see cref="MapFields.All"/>) of every sample
    /// into <paramref name="map"/>, and with <paramref name="withTexts"/> the sample indices, projections and hover texts.</summary>
    private void ReadMapColumns(long runId, int count, MapPointsBuilder map, int[] fieldPositions, bool withTexts)
    {
        var fields = MapFields.All;
        var core = withTexts
            ? $"{SampleColumns.List(SampleColumns.SampleIndex, SampleColumns.UmapX, SampleColumns.UmapY, SampleColumns.PcaX, SampleColumns.PcaY)}, " +
              $"{SampleColumns.Question}, {SampleColumns.Prediction}, " +
              $"coalesce(json_extract({SampleColumns.GoldAnswersJson}, '$[' || {SampleColumns.BestGoldIndex} || '].{GoldAnswer.TextField}'), '') AS {BestGold}"
            : $"{SampleColumns.SampleIndex}, {SampleColumns.Prediction}, {SampleColumns.GoldAnswersJson}";
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {core}" + string.Concat(fieldPositions.Select(f => ", " + fields[f].Select)) +
            $" FROM samples WHERE run_id = $run ORDER BY {SampleColumns.SampleIndex}";
        command.Parameters.AddWithValue("$run", runId);

        using var reader = command.ExecuteReader();
        var indexAt = reader.GetOrdinal(SampleColumns.SampleIndex);
        var predictionAt = reader.GetOrdinal(SampleColumns.Prediction);
        var fieldAt = fieldPositions.Select(f => reader.GetOrdinal(fields[f].Name)).ToArray();
        int Ordinal(string column, bool read) => read ? reader.GetOrdinal(column) : -1;
        var (umapXAt, umapYAt, pcaXAt, pcaYAt, questionAt, goldAt) = (Ordinal(SampleColumns.UmapX, withTexts), Ordinal(SampleColumns.UmapY, withTexts),
            Ordinal(SampleColumns.PcaX, withTexts), Ordinal(SampleColumns.PcaY, withTexts), Ordinal(SampleColumns.Question, withTexts), Ordinal(BestGold, withTexts));
        var goldsAt = Ordinal(SampleColumns.GoldAnswersJson, !withTexts);
        var i = 0;
        while (reader.Read())
        {
            if (i == count)
            {
                throw new InvalidOperationException($"run {runId} gained samples while its map was read; reload the page");
            }
            var sampleIndex = reader.GetInt32(indexAt);
            if (withTexts)
            {
                map.SampleIndex[i] = sampleIndex;
                map.UmapX[i] = NumberOrNaN(reader, umapXAt);
                map.UmapY[i] = NumberOrNaN(reader, umapYAt);
                map.PcaX[i] = NumberOrNaN(reader, pcaXAt);
                map.PcaY[i] = NumberOrNaN(reader, pcaYAt);
                map.Question[i] = reader.GetString(questionAt);
                map.Gold[i] = reader.GetString(goldAt);
                map.Prediction[i] = reader.GetString(predictionAt);
            }
            for (var k = 0; k < fieldPositions.Length; k++)
            {
                var f = fieldPositions[k];
                var field = fields[f];
                if (field.Name == SampleColumns.Relation && !reader.IsDBNull(fieldAt[k]))
                {
                    // The relation slice: "quotation marks only" split out of the stored relation, as the Slices page shows it.
                    var golds = GoldAnswer.ParseJson(reader.GetString(goldsAt),
                        string.Create(CultureInfo.InvariantCulture, $"run {runId} sample {sampleIndex}"));
                    map.Category(f, i, RunSlices.RelationSlice(reader.GetString(fieldAt[k]), reader.GetString(predictionAt), golds.Select(g => g.Text)));
                }
                else if (field.IsCategorical)
                {
                    map.Category(f, i, CategoryOf(reader, fieldAt[k], field));
                }
                else
                {
                    map.Number(f, i, NumberOrNaN(reader, fieldAt[k]));
                }
            }
            i++;
        }
        if (i != count)
        {
            throw new InvalidOperationException($"run {runId} lost samples while its map was read; reload the page");
        }
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
