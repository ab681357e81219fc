using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>What a reviewer decided about a sample's gold label.</summary>
public enum ReviewVerdict
{
    /// <summary>The gold answer is right.</summary>
    Correct,

    /// <summary>The gold answer is wrong (and not fixed here).</summary>
    Wrong,

    /// <summary>The question admits several answers, or none clearly.</summary>
    Ambiguous,

    /// <summary>The first gold answer is replaced by <see cref="ReviewDecision.Fix"/>.</summary>
    Fixed,
}

/// <summary>A corrected answer span: its text and start in UTF-16 code units of the sample's context.</summary>
public sealed record FixedSpan(string Text, int Start)
{
    public int End => Start + Text.Length;
}

/// <summary>One decision as stored in <c>review_decisions</c> (the latest per sample) and <c>review_log</c> (all).</summary>
/// <param name="DecidedAt">UTC, whole milliseconds (<see cref="StoredTime"/>).</param>
public sealed record ReviewDecision(long RunId, int SampleIndex, string ExampleId, ReviewVerdict Verdict, string? Note, FixedSpan? Fix, DateTimeOffset DecidedAt)
{
    public static string NameOf(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Correct => "correct",
        ReviewVerdict.Wrong => "wrong",
        ReviewVerdict.Ambiguous => "ambiguous",
        ReviewVerdict.Fixed => "fixed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown review verdict"),
    };

    public static ReviewVerdict Parse(string name, string source) => name switch
    {
        "correct" => ReviewVerdict.Correct,
        "wrong" => ReviewVerdict.Wrong,
        "ambiguous" => ReviewVerdict.Ambiguous,
        "fixed" => ReviewVerdict.Fixed,
        _ => throw new InputException($"{source}: unknown review decision '{name}' (expected correct, wrong, ambiguous or fixed)."),
    };

    /// <summary>Wrong or ambiguous: the questions an export can leave out.</summary>
    public bool IsFlagged => Verdict is ReviewVerdict.Wrong or ReviewVerdict.Ambiguous;
}

/// <summary>Saves review decisions: each one replaces the sample's latest decision and is appended to the log, in one
/// transaction.</summary>
public sealed class ReviewStore(SqliteConnectionFactory database, TimeProvider? clock = null)
{
    private const string Columns = "run_id, sample_index, example_id, decision, note, fixed_text, fixed_start, decided_at";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// The span a selection of context characters [<paramref name="start"/>, <paramref name="end"/>) stands for, without
    /// the whitespace a mouse selection tends to take along at its edges.
    /// </summary>
    /// <exception cref="InputException">The selection is outside the context, empty, only whitespace, or splits a character.</exception>
    public static FixedSpan SpanOfSelection(string context, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (start < 0 || end > context.Length || start >= end)
        {
            throw new InputException($"The selection [{start}, {end}) is not a non-empty range of the context's {context.Length} characters.");
        }
        while (start < end && char.IsWhiteSpace(context[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(context[end - 1]))
        {
            end--;
        }
        var span = new FixedSpan(context[start..end], start);
        Validate(context, span);
        return span;
    }

    /// <exception cref="InputException">The span is empty, outside the context, splits a surrogate pair, or its text is not the context's there.</exception>
    public static void Validate(string context, FixedSpan span)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(span);
        if (string.IsNullOrWhiteSpace(span.Text))
        {
            throw new InputException("A fixed answer needs some text; the selection holds none.");
        }
        if (span.Start < 0 || span.End > context.Length)
        {
            throw new InputException($"The fixed answer [{span.Start}, {span.End}) lies outside the context of {context.Length} characters.");
        }
        if (SquadOffsets.SplitsSurrogatePair(context, span.Start) || SquadOffsets.SplitsSurrogatePair(context, span.End))
        {
            throw new InputException($"The fixed answer [{span.Start}, {span.End}) cuts a character in half.");
        }
        if (string.CompareOrdinal(context, span.Start, span.Text, 0, span.Text.Length) != 0)
        {
            throw new InputException($"The fixed answer '{span.Text}' is not the context's text at {span.Start} ('{context.Substring(span.Start, span.Text.Length)}').");
        }
    }

    /// <summary>Records a decision; <paramref name="fix"/> is required for <see cref="ReviewVerdict.Fixed"/> and refused otherwise.</summary>
    /// <exception cref="InputException">No such sample, or the fix is missing, superfluous or does not match the context.</exception>
    public ReviewDecision Decide(long runId, int sampleIndex, ReviewVerdict verdict, string? note, FixedSpan? fix = null)
    {
        var sample = new RunSampleReader(database).Find(runId, sampleIndex) ?? throw new InputException($"Run {runId} has no sample {sampleIndex}.");
        if (verdict == ReviewVerdict.Fixed)
        {
            Validate(sample.Context, fix ?? throw new InputException("A 'fixed' decision needs the corrected answer span."));
        }
        else if (fix is not null)
        {
            throw new InputException($"Only a 'fixed' decision carries an answer span, not '{ReviewDecision.NameOf(verdict)}'.");
        }
        var decision = new ReviewDecision(
            runId, sampleIndex, sample.ExampleId, verdict, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), fix, StoredTime.AsStored(_clock.GetUtcNow()));

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var sql in new[]
                 {
                     $"INSERT OR REPLACE INTO review_decisions ({Columns}) VALUES ($run, $sample, $example, $decision, $note, $text, $start, $at)",
                     $"INSERT INTO review_log ({Columns}) VALUES ($run, $sample, $example, $decision, $note, $text, $start, $at)",
                 })
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$sample", sampleIndex);
            command.Parameters.AddWithValue("$example", decision.ExampleId);
            command.Parameters.AddWithValue("$decision", ReviewDecision.NameOf(verdict));
            command.Parameters.AddWithValue("$note", (object?)decision.Note ?? DBNull.Value);
            command.Parameters.AddWithValue("$text", (object?)fix?.Text ?? DBNull.Value);
            command.Parameters.AddWithValue("$start", (object?)fix?.Start ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", StoredTime.ToText(decision.DecidedAt));
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return decision;
    }

    /// <summary>The latest decision about a sample, or null.</summary>
    public ReviewDecision? Find(long runId, int sampleIndex) =>
        Query($"SELECT {Columns} FROM review_decisions WHERE run_id = $run AND sample_index = $sample", runId, sampleIndex).FirstOrDefault();

    /// <summary>The latest decision of every decided sample of a run, in sample order.</summary>
    public IReadOnlyList<ReviewDecision> Decisions(long runId) =>
        Query($"SELECT {Columns} FROM review_decisions WHERE run_id = $run ORDER BY sample_index", runId, null);

    /// <summary>Every decision ever made in a run, oldest first.</summary>
    public IReadOnlyList<ReviewDecision> Log(long runId) =>
        Query($"SELECT {Columns} FROM review_log WHERE run_id = $run ORDER BY id", runId, null);

    private List<ReviewDecision> Query(string sql, long runId, int? sampleIndex)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId);
        if (sampleIndex is { } index)
        {
            command.Parameters.AddWithValue("$sample", index);
        }
        using var reader = command.ExecuteReader();
        var decisions = new List<ReviewDecision>();
        while (reader.Read())
        {
            var sample = reader.Int32("sample_index");
            var source = $"review decision of run {runId} sample {sample}";
            var fix = reader.TextOrNull("fixed_text") is { } text ? new FixedSpan(text, reader.Int32("fixed_start")) : null;
            decisions.Add(new ReviewDecision(
                reader.Int64("run_id"), sample, reader.Text("example_id"), ReviewDecision.Parse(reader.Text("decision"), source),
                reader.TextOrNull("note"), fix, reader.Time("decided_at", source)));
        }
        return decisions;
    }
}
