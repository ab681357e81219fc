namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>What the evidence says about a gold label (column <c>samples.label_kind</c>), so the review queue can show one kind.</summary>
public enum LabelKind
{
    /// <summary>Nothing suspicious enough to call.</summary>
    None,

    /// <summary>The learned score calls the label likely wrong, and the model's evidence (or the question's type) carries that call.</summary>
    ProbablyWrong,

    /// <summary>The annotation is doubtful rather than wrong: annotators disagree, or the gold text occurs several times in the context.</summary>
    Ambiguous,
}

/// <summary>
/// Sorts a scored sample into a <see cref="LabelKind"/>:
/// <list type="number">
/// <item><b>probably wrong</b> when the learned probability is at least <see cref="ProbablyWrongThreshold"/> and the
/// evidence of a wrong span outweighs the evidence of ambiguity (or there is no sign of ambiguity at all);</item>
/// <item><b>ambiguous</b> otherwise, when annotators disagree (gold disagreement ≥ <see cref="DisagreementThreshold"/>)
/// or the first gold text occurs more than once in the context and the reader does not settle on the annotated place
/// (its first answer is no gold text, or under half its n-best mass is on a gold span), whatever the score. A repeated
/// text the reader finds where the annotator marked it is no doubt in practice: counted always, a fifth of dev-v1.1 was
/// "ambiguous", mostly years and numbers that recur in their paragraph;</item>
/// <item><b>none</b> otherwise.</item>
/// </list>
/// The threshold is a probability under the fit's prior (the planted-noise rate it was fitted on), so "probably wrong"
/// reads "more likely wrong than not, at that rate of errors".
/// </summary>
public static class LabelKinds
{
    public const double ProbablyWrongThreshold = 0.5;

    /// <summary>1 − mean pairwise F1 from which annotators count as disagreeing: on average they share less than half their words.</summary>
    public const double DisagreementThreshold = 0.5;

    /// <summary>The n-best mass on the gold spans below which a repeated gold text counts as an unsettled anchor.</summary>
    public const double SettledGoldMass = 0.5;

    public static LabelKind Classify(double probability, LabelEvidenceWeight evidence, LabelErrorComponents components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var unsettledAnchor = components.AnswerOccurrences >= 2 && (components.GoldNBestRank != 0 || components.GoldSpanMass < SettledGoldMass);
        var ambiguous = components.GoldDisagreement >= DisagreementThreshold || unsettledAnchor;
        if (probability >= ProbablyWrongThreshold && (!ambiguous || evidence.Wrong >= evidence.Ambiguity))
        {
            return LabelKind.ProbablyWrong;
        }
        return ambiguous ? LabelKind.Ambiguous : LabelKind.None;
    }

    /// <summary>The stored and shown name: "none", "probably wrong", "ambiguous".</summary>
    public static string Label(this LabelKind kind) => kind switch
    {
        LabelKind.None => "none",
        LabelKind.ProbablyWrong => "probably wrong",
        LabelKind.Ambiguous => "ambiguous",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown label kind"),
    };

    /// <summary>The kind called <paramref name="label"/>; <paramref name="source"/> names where it was read, for the error.</summary>
    /// <exception cref="InputException">Not one of the names <see cref="Label"/> gives.</exception>
    public static LabelKind Parse(string label, string source) =>
        Enum.GetValues<LabelKind>().Cast<LabelKind?>().FirstOrDefault(kind => kind!.Value.Label() == label)
        ?? throw new InputException($"{source}: unknown label kind '{label}' (expected none, probably wrong or ambiguous).");
}

/// <summary>How much of a sample's logit each kind of evidence adds: the sum of the positive contributions
/// coefficient·(x − mean)/scale of its features.</summary>
public readonly record struct LabelEvidenceWeight(double Wrong, double Ambiguity);
