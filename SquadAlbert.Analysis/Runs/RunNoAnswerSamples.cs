using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>A run's samples as <see cref="NoAnswerThresholdCurve"/> re-scores them (the threshold slider, <c>analyze</c>'s
/// HasAns/NoAns line): one indexed scan of four columns.</summary>
public static class RunNoAnswerSamples
{
    /// <summary>In sample order; null when a sample lacks the SQuAD 2.0 fields (a run computed before migration 8).</summary>
    public static IReadOnlyList<ThresholdSample>? Load(SqliteConnectionFactory database, long runId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT answerable, null_score_diff, span_exact_match, span_f1, outcome
            FROM samples WHERE run_id = $run ORDER BY sample_index
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var samples = new List<ThresholdSample>();
        while (reader.Read())
        {
            if (reader.IsDBNull(2) || reader.IsDBNull(3) || reader.IsDBNull(4))
            {
                return null;
            }
            samples.Add(new ThresholdSample(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.GetBoolean(2), reader.GetDouble(3)));
        }
        return samples;
    }
}
