namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>One way a gold label goes wrong, learned by its own regression: the planted kinds that are its examples and
/// the features that can see it.</summary>
public sealed record LabelErrorHeadDefinition(string Name, string Description, IReadOnlyList<LabelNoiseKind> Kinds, IReadOnlyList<LabelErrorFeature> Features);

/// <summary>The heads of the learned label-error score (<see cref="LabelErrorWeights"/>), in one place.</summary>
public static class LabelErrorHeads
{
    /// <summary>The first gold — the span the reader trains on and the loss measures — is wrong.</summary>
    public const string FirstGold = "first gold";

    /// <summary>One annotator of several marked something else than the others.</summary>
    public const string OneAnnotator = "one annotator";

    public static IReadOnlyList<LabelErrorHeadDefinition> All { get; } =
    [
        new(FirstGold, "the first gold span is wrong: moved, shifted, or another entity of the context",
            [LabelNoiseKind.Moved, LabelNoiseKind.Shifted, LabelNoiseKind.Swapped],
            // Without the annotators' agreement: the benchmark plants a wrong first gold in every annotator's answer, so
            // planted errors never disagree and a fit would learn "annotators who disagree are right" from the planting
            // itself (measured: its coefficient ran away and the fit did not converge).
            [.. LabelErrorFeatures.All.Where(f => f.Name is not ("outlier_annotator" or "gold_disagreement"))]),
        // The loss only sees the first gold, so it is no evidence here; the annotators' agreement and the reader's support
        // for each of them are.
        new(OneAnnotator, "one annotator of several marked a span apart from the others",
            [LabelNoiseKind.Disagreeing],
            [LabelErrorFeatures.Find("outlier_annotator")!, LabelErrorFeatures.Find("gold_disagreement")!]),
    ];

    /// <summary>The head called <paramref name="name"/>, or null.</summary>
    public static LabelErrorHeadDefinition? Find(string name) => All.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.Ordinal));
}
