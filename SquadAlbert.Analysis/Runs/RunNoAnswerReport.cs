using System.Text.Json;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// What the Slices page's no-answer threshold panel shows of a SQuAD 2.0 run: its samples as
/// <see cref="NoAnswerThresholdCurve"/> re-scores them, the threshold the run used, the threshold with the best F1, and
/// the abstention precision–recall curve. <see cref="Load"/> gives null for a v1.1 run (no unanswerable sample) and for a
/// run computed before the SQuAD 2.0 columns existed.
/// </summary>
public sealed class RunNoAnswerReport
{
    private RunNoAnswerReport(IReadOnlyList<ThresholdSample> samples, double? runThreshold)
    {
        Samples = samples;
        RunThreshold = runThreshold;
        var differences = samples.Where(s => s.NullScoreDiff is not null).Select(s => s.NullScoreDiff!.Value).ToList();
        LargestDifference = differences.Count == 0 ? 0 : differences.Max();
        SmallestDifference = differences.Count == 0 ? 0 : differences.Min();
        Curve = NoAnswerThresholdCurve.Curve(samples);
        // The +∞ point answers wherever a span exists, as any threshold at or above the largest difference does.
        var best = Curve.OrderByDescending(p => p.F1).ThenByDescending(p => p.Exact).First();
        BestThreshold = double.IsPositiveInfinity(best.Threshold) ? LargestDifference : best.Threshold;
        Best = best with { Threshold = BestThreshold };
        var low = Math.Min(SmallestDifference, Math.Min(RunThreshold ?? 0, BestThreshold));
        var high = Math.Max(LargestDifference, Math.Max(RunThreshold ?? 0, BestThreshold));
        var margin = Math.Max(0.5, (high - low) * 0.05);
        (SliderMin, SliderMax) = (Math.Floor(low - margin), Math.Ceiling(high + margin));
    }

    /// <summary>The run's samples in sample order.</summary>
    public IReadOnlyList<ThresholdSample> Samples { get; }

    /// <summary>The threshold the run was analysed with (its settings' <c>NullThreshold</c>); null when not recorded.</summary>
    public double? RunThreshold { get; }

    /// <summary>The threshold with the highest F1 (ties: the highest EM, then the first in <see cref="Curve"/> order).</summary>
    public double BestThreshold { get; }

    /// <summary>The scores at <see cref="BestThreshold"/>.</summary>
    public ThresholdScores Best { get; }

    /// <summary><see cref="NoAnswerThresholdCurve.Curve"/> of the samples: one point per distinct null − best span difference.</summary>
    public IReadOnlyList<ThresholdScores> Curve { get; }

    public double SmallestDifference { get; }

    public double LargestDifference { get; }

    /// <summary>A slider range that holds every difference, the run's threshold and the best one, rounded out to integers.</summary>
    public double SliderMin { get; }

    public double SliderMax { get; }

    /// <summary>The threshold the panel starts at: the run's, else the best.</summary>
    public double InitialThreshold => RunThreshold ?? BestThreshold;

    /// <summary>The scores at <paramref name="threshold"/>.</summary>
    public ThresholdScores At(double threshold) => NoAnswerThresholdCurve.At(Samples, threshold);

    /// <summary>The abstention precision–recall points of <see cref="Curve"/> that have abstentions (precision defined).</summary>
    public IReadOnlyList<(double Recall, double Precision)> PrecisionRecall =>
        [.. Curve.Where(p => !double.IsNaN(p.AbstentionPrecision) && !double.IsNaN(p.AbstentionRecall)).Select(p => (p.AbstentionRecall, p.AbstentionPrecision))];

    /// <summary>Null for a v1.1 run (every sample answerable) or one without the SQuAD 2.0 columns.</summary>
    public static RunNoAnswerReport? Load(SqliteConnectionFactory database, RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var samples = RunNoAnswerSamples.Load(database, run.Id);
        return samples is null || samples.All(s => s.Answerable) ? null : new RunNoAnswerReport(samples, RunThresholdOf(run));
    }

    /// <summary>For tests and callers that already hold the samples.</summary>
    public static RunNoAnswerReport Of(IReadOnlyList<ThresholdSample> samples, double? runThreshold)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A no-answer report needs samples.", nameof(samples));
        }
        return new RunNoAnswerReport(samples, runThreshold);
    }

    /// <summary>The <c>NullThreshold</c> of a run's settings JSON; null when absent or unreadable.</summary>
    public static double? RunThresholdOf(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            using var document = JsonDocument.Parse(run.SettingsJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty(nameof(AnalysisSettings.NullThreshold), out var value)
                   && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
