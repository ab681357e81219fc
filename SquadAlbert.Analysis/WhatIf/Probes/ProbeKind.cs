using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.WhatIf.Probes;

/// <summary>The counterfactual probes (issue 18, part 2). Each rewrites an example deterministically for a seed.</summary>
public enum ProbeKind
{
    /// <summary>An AddSent-like distractor sentence appended to the context (<see cref="DistractorProbe"/>).</summary>
    Distractor,

    /// <summary>An equivalent wh-phrase in the question (<see cref="WhSwapProbe"/>).</summary>
    WhSwap,

    /// <summary>The sentence holding the gold dropped from the context (<see cref="AnswerRemovalProbe"/>).</summary>
    AnswerRemoval,

    /// <summary>The gold answer replaced everywhere in the context by another answer of its type (<see cref="EntitySwapProbe"/>).</summary>
    EntitySwap,
}

/// <summary>What a robust reader does on a probed example.</summary>
public enum ProbeExpectation
{
    /// <summary>Gives the same answer as on the original.</summary>
    KeepsAnswer,

    /// <summary>No longer gives the gold answer (a SQuAD 2.0 reader abstains).</summary>
    LosesAnswer,

    /// <summary>Gives the substitute that replaced the gold answer.</summary>
    FollowsSubstitute,
}

/// <summary>Names of the probes as the CLI, the database and URLs write them.</summary>
public static class ProbeKinds
{
    public static IReadOnlyList<ProbeKind> All { get; } = [ProbeKind.Distractor, ProbeKind.WhSwap, ProbeKind.AnswerRemoval, ProbeKind.EntitySwap];

    /// <summary>"distractor", "wh-swap", "answer-removal", "entity-swap".</summary>
    public static string Label(this ProbeKind kind) => kind switch
    {
        ProbeKind.Distractor => "distractor",
        ProbeKind.WhSwap => "wh-swap",
        ProbeKind.AnswerRemoval => "answer-removal",
        ProbeKind.EntitySwap => "entity-swap",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown probe"),
    };

    /// <summary>What the dashboard shows.</summary>
    public static string Title(this ProbeKind kind) => kind switch
    {
        ProbeKind.Distractor => "Distractor sentence",
        ProbeKind.WhSwap => "Wh-word swap",
        ProbeKind.AnswerRemoval => "Answer-sentence removal",
        ProbeKind.EntitySwap => "Entity swap",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown probe"),
    };

    public static ProbeExpectation Expectation(this ProbeKind kind) => kind switch
    {
        ProbeKind.AnswerRemoval => ProbeExpectation.LosesAnswer,
        ProbeKind.EntitySwap => ProbeExpectation.FollowsSubstitute,
        _ => ProbeExpectation.KeepsAnswer,
    };

    /// <summary>What counts as a flip, in words (the expectation's failure).</summary>
    public static string FlipMeaning(this ProbeExpectation expectation) => expectation switch
    {
        ProbeExpectation.KeepsAnswer => "the prediction changed",
        ProbeExpectation.LosesAnswer => "the reader still gives the gold answer (SQuAD 2.0: does not abstain)",
        _ => "the reader does not give the substitute",
    };

    /// <exception cref="InputException">Not a probe name.</exception>
    public static ProbeKind Parse(string label, string source) =>
        All.FirstOrDefault(k => k.Label() == label) is var kind && kind.Label() == label
            ? kind
            : throw new InputException($"{source}: unknown probe '{label}' (expected {string.Join(", ", All.Select(k => k.Label()))}).");

    /// <summary>The probes <paramref name="text"/> names: one label, or "all".</summary>
    /// <exception cref="InputException">Neither.</exception>
    public static IReadOnlyList<ProbeKind> ParseList(string text, string source) =>
        text == "all" ? All : [Parse(text, source)];

    /// <summary>The rewrite of <paramref name="kind"/>.</summary>
    public static IProbe Probe(this ProbeKind kind) => kind switch
    {
        ProbeKind.Distractor => new DistractorProbe(),
        ProbeKind.WhSwap => new WhSwapProbe(),
        ProbeKind.AnswerRemoval => new AnswerRemovalProbe(),
        ProbeKind.EntitySwap => new EntitySwapProbe(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown probe"),
    };
}

/// <summary>An example as a probe reads it.</summary>
/// <param name="Id">The question id; with the seed, it picks the example's random draws.</param>
/// <param name="Title">The article: fake answers and substitutes come from other articles.</param>
public sealed record ProbeInput(string Id, string Title, string Question, string Context, IReadOnlyList<GoldAnswer> Golds);

/// <summary>A probed example and what a robust reader does on it.</summary>
/// <param name="Golds">The answers the probed prediction is scored against: the original golds (keep- and lose-probes), or
/// the substitute in the new context (<see cref="ProbeExpectation.FollowsSubstitute"/>).</param>
/// <param name="Change">What the probe did, in words (shown beside each flipped sample).</param>
public sealed record ProbedExample(string Question, string Context, IReadOnlyList<GoldAnswer> Golds, ProbeExpectation Expectation, string Change);

/// <summary>A probe's rewrite of one example: <see cref="Example"/>, or the reason it does not apply.</summary>
public sealed record ProbeRewrite(ProbedExample? Example, string? NotApplicable)
{
    public bool IsApplicable => Example is not null;

    public static ProbeRewrite Of(ProbedExample example) => new(example, null);

    public static ProbeRewrite Skip(string reason) => new(null, reason);
}

/// <summary>One probe: a pure rewrite of an example, deterministic for (seed, example id).</summary>
public interface IProbe
{
    ProbeKind Kind { get; }

    /// <param name="donors">Answers and names of the whole run, where fake answers and substitutes are drawn from.</param>
    ProbeRewrite Rewrite(ProbeInput input, ProbeDonors donors, int seed);
}
