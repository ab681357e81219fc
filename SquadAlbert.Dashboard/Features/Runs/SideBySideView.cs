using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Samples;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>One column of the side-by-side view: a run, its model and its sample of the question (null when the run lacks it),
/// with the tokens of the run's own tokenizer (coloured by the heatmap when one is shown).</summary>
/// <param name="Label">"A" or "B".</param>
public sealed record SampleSide(string Label, RunInfo Run, RunSample? Sample, SampleDetails? Details, string ModelName, string ModelKind)
{
    public const int NBestShown = 5;
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>Put before the column's data-testids: "a-" or "b-".</summary>
    public string TestIdPrefix => Label.ToLowerInvariant() + "-";

    /// <param name="attribution">The heatmap to colour the tokens with; null for none.</param>
    public static SampleSide Build(string label, RunInfo run, RunSample? sample, RunTokenizers tokenizers, QaAttribution? attribution)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(tokenizers);
        var details = sample is null ? null
            : SampleDetails.Build(sample, run.ModelPath, tokenizers, decision: null, attribution, RunNoAnswerReport.RunThresholdOf(run));
        return new SampleSide(label, run, sample, details, ModelNameOf(run.ModelPath), ModelDescription.Describe(run.ModelPath));
    }

    /// <summary>The model folder's own name ("minilm-squad"), what tells two readers apart at a glance.</summary>
    public static string ModelNameOf(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath));
        return name.Length > 0 ? name : modelPath;
    }

    /// <summary>The first <see cref="NBestShown"/> stored candidates, best first.</summary>
    public IReadOnlyList<NBestEntry> NBest => [.. (Sample?.NBest ?? []).Take(NBestShown)];

    /// <summary>Probability, exact match, F1 and loss as the run stored them; empty without a sample.</summary>
    public IReadOnlyList<(string Label, string Value)> Figures => Sample is not { } s ? [] :
    [
        ("Answer probability", s.PredictionProbability.ToString("0.000", Culture)),
        ("Exact match", s.ExactMatch ? "yes" : "no"),
        ("F1", s.F1.ToString("0.000", Culture)),
        ("Loss", s.Loss.ToString("0.000", Culture)),
    ];
}

/// <summary>The nearest samples of one side in its own run's latent space, or why there are none.</summary>
/// <param name="Note">Set when <paramref name="Items"/> is empty: the run has no latent vectors, or none for this sample.</param>
public sealed record NeighbourList(IReadOnlyList<SampleNeighbour> Items, string? Note)
{
    public static NeighbourList Of(RunNeighbours index, int sampleIndex, int k)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Count == 0)
        {
            return new([], $"Run {index.RunId.ToString(CultureInfo.InvariantCulture)} stored no latent vectors (context embeddings), so it has no neighbours to show.");
        }
        var nearest = index.Nearest(sampleIndex, k);
        return nearest.Count == 0 ? new([], "This run stored no embedding for the sample.") : new(nearest, null);
    }
}

/// <summary>
/// Everything the side-by-side sample view shows apart from the neighbours (loaded after, off the circuit): the pair, a column
/// per run, which run is right and whether the predictions differ.
/// </summary>
public sealed record SideBySideView(SamplePair Pair, SampleSide A, SampleSide B)
{
    public const int NeighbourCount = 10;

    public static SideBySideView Build(SamplePair pair, RunTokenizers tokenizers, QaAttribution? attributionA = null, QaAttribution? attributionB = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new SideBySideView(
            pair, SampleSide.Build("A", pair.RunA, pair.A, tokenizers, attributionA), SampleSide.Build("B", pair.RunB, pair.B, tokenizers, attributionB));
    }

    public IReadOnlyList<SampleSide> Sides => [A, B];

    /// <summary>A sample of the question (A's, else B's): what the header shows of the question and its gold answers.</summary>
    public RunSample Question => Pair.A ?? Pair.B!;

    /// <summary>"same model folder" or "different models": the heatmaps of different tokenizers are each in their own tokens.</summary>
    public bool SameModel => string.Equals(A.Run.ModelPath, B.Run.ModelPath, StringComparison.Ordinal);

    /// <summary>The side whose prediction is right when only one is; null otherwise.</summary>
    public string? RightSide => Pair.Flip switch
    {
        Flip.RightToWrong => A.Label,
        Flip.WrongToRight => B.Label,
        _ => null,
    };
}
