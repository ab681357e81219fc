using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.WhatIf;

/// <summary>An edited copy of a run's sample saved with the run (<c>whatif_variants</c>), with the reader's answer on it.</summary>
/// <param name="Number">1, 2, … per parent sample; the SQuAD id is <see cref="Id"/>.</param>
/// <param name="ExampleId">The parent sample's question id.</param>
/// <param name="Gold">The edit's gold answer (UTF-16 offset into <see cref="Context"/>), or null.</param>
/// <param name="CreatedAt">UTC, whole milliseconds (<see cref="StoredTime"/>).</param>
public sealed record WhatIfVariant(
    long RunId, int SampleIndex, int Number, string ExampleId, string Question, string Context, SquadAnswer? Gold,
    string Prediction, int PredictionStart, int PredictionEnd, double Probability, double Score, bool? ExactMatch, double? F1,
    IReadOnlyList<NBestEntry> NBest, DateTimeOffset CreatedAt)
{
    /// <summary>The variant's SQuAD id: the parent's id and <c>-v</c><see cref="Number"/>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{ExampleId}-v{Number}");
}

/// <summary>Saves and lists a run's what-if variants, and writes them as a SQuAD file. The SQL of <c>whatif_variants</c>.</summary>
public sealed class WhatIfVariantStore(SqliteConnectionFactory database, TimeProvider? clock = null)
{
    private const string Columns = "run_id, sample_index, variant_number, example_id, question, context, gold_text, gold_start, prediction, " +
                                   "prediction_start, prediction_end, probability, score, exact_match, f1, nbest_json, created_at";

    private static readonly JsonSerializerOptions ExportJson =
        new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Saves <paramref name="result"/> on <paramref name="edit"/> as the sample's next variant.</summary>
    /// <exception cref="InputException">The run has no such sample.</exception>
    public WhatIfVariant Save(long runId, int sampleIndex, WhatIfEdit edit, WhatIfResult result)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(result);
        var sample = new RunSampleReader(database).Find(runId, sampleIndex) ?? throw new InputException($"Run {runId} has no sample {sampleIndex}.");
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        int number;
        using (var next = connection.CreateCommand())
        {
            next.Transaction = transaction;
            next.CommandText = "SELECT coalesce(max(variant_number), 0) + 1 FROM whatif_variants WHERE run_id = $run AND sample_index = $sample";
            next.Parameters.AddWithValue("$run", runId);
            next.Parameters.AddWithValue("$sample", sampleIndex);
            number = Convert.ToInt32(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var variant = new WhatIfVariant(
            runId, sampleIndex, number, sample.ExampleId, edit.Question, edit.Context, edit.Gold, result.Prediction, result.Span.Start, result.Span.End,
            result.Probability, result.Score, result.ExactMatch, result.F1,
            [.. result.NBest.Select(c => new NBestEntry(c.Text, c.Span.Start, c.Span.End, c.Probability))], StoredTime.AsStored(_clock.GetUtcNow()));
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"""
                INSERT INTO whatif_variants ({Columns}) VALUES ($run, $sample, $number, $example, $question, $context, $goldText, $goldStart,
                    $prediction, $predictionStart, $predictionEnd, $probability, $score, $exact, $f1, $nbest, $created)
                """;
            var p = insert.Parameters;
            p.AddWithValue("$run", runId);
            p.AddWithValue("$sample", sampleIndex);
            p.AddWithValue("$number", number);
            p.AddWithValue("$example", variant.ExampleId);
            p.AddWithValue("$question", variant.Question);
            p.AddWithValue("$context", variant.Context);
            p.AddWithValue("$goldText", (object?)variant.Gold?.Text ?? DBNull.Value);
            p.AddWithValue("$goldStart", (object?)variant.Gold?.AnswerStart ?? DBNull.Value);
            p.AddWithValue("$prediction", variant.Prediction);
            p.AddWithValue("$predictionStart", variant.PredictionStart);
            p.AddWithValue("$predictionEnd", variant.PredictionEnd);
            p.AddWithValue("$probability", Finite(variant.Probability));
            p.AddWithValue("$score", Finite(variant.Score));
            p.AddWithValue("$exact", variant.ExactMatch is { } e ? (e ? 1 : 0) : DBNull.Value);
            p.AddWithValue("$f1", (object?)variant.F1 ?? DBNull.Value);
            p.AddWithValue("$nbest", NBestEntry.ToJson(variant.NBest));
            p.AddWithValue("$created", StoredTime.ToText(variant.CreatedAt));
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return variant;
    }

    /// <summary>The variants of one sample, or of the whole run when <paramref name="sampleIndex"/> is null; by sample, then number.</summary>
    public IReadOnlyList<WhatIfVariant> List(long runId, int? sampleIndex = null)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM whatif_variants
            WHERE run_id = $run AND ($sample IS NULL OR sample_index = $sample)
            ORDER BY sample_index, variant_number
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$sample", (object?)sampleIndex ?? DBNull.Value);
        using var row = command.ExecuteReader();
        var variants = new List<WhatIfVariant>();
        while (row.Read())
        {
            var source = $"whatif_variants row (run {runId}, sample {row.Int32("sample_index")}, variant {row.Int32("variant_number")})";
            var goldText = row.TextOrNull("gold_text");
            var exact = row.Int32OrNull("exact_match");
            variants.Add(new WhatIfVariant(
                row.Int64("run_id"), row.Int32("sample_index"), row.Int32("variant_number"), row.Text("example_id"), row.Text("question"), row.Text("context"),
                goldText is null ? null : new SquadAnswer(goldText, row.Int32("gold_start")),
                row.Text("prediction"), row.Int32("prediction_start"), row.Int32("prediction_end"), row.Real("probability"), row.Real("score"),
                exact is null ? null : exact != 0, row.RealOrNull("f1"), NBestEntry.ParseJson(row.Text("nbest_json"), source), row.Time("created_at", source)));
        }
        return variants;
    }

    /// <summary>
    /// The run's variants as a SQuAD file (UTF-8 JSON): one article per parent title, one paragraph and one question per
    /// variant, id <see cref="WhatIfVariant.Id"/>, the gold answer with its offset in code points as SQuAD counts them. A
    /// variant saved without a gold answer makes the file a SQuAD 2.0 one (<c>version</c> "v2.0", that question
    /// <c>is_impossible</c>); otherwise it is version "1.1".
    /// </summary>
    public byte[] ExportSquad(long runId)
    {
        var variants = List(runId);
        var titles = new RunStore(database).Samples(runId, [.. variants.Select(v => v.SampleIndex).Distinct()])
            .ToDictionary(s => s.SampleIndex, s => s.Title);
        var version2 = variants.Any(v => v.Gold is null);
        var data = new JsonArray();
        foreach (var article in variants.GroupBy(v => titles.GetValueOrDefault(v.SampleIndex, "")))
        {
            var paragraphs = new JsonArray();
            foreach (var variant in article)
            {
                var answers = new JsonArray();
                if (variant.Gold is { } gold)
                {
                    answers.Add(new JsonObject
                    {
                        ["text"] = gold.Text,
                        ["answer_start"] = SquadOffsets.Utf16ToCodePoint(variant.Context, gold.AnswerStart),
                    });
                }
                var question = new JsonObject { ["id"] = variant.Id, ["question"] = variant.Question, ["answers"] = answers };
                if (version2)
                {
                    question["is_impossible"] = variant.Gold is null;
                }
                paragraphs.Add(new JsonObject { ["context"] = variant.Context, ["qas"] = new JsonArray(question) });
            }
            data.Add(new JsonObject { ["title"] = article.Key, ["paragraphs"] = paragraphs });
        }
        var file = new JsonObject { ["version"] = version2 ? "v2.0" : "1.1", ["data"] = data };
        return JsonSerializer.SerializeToUtf8Bytes(file, ExportJson);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
