using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// One question in two runs, found in each by its question id: the side-by-side sample view of the Compare page. The id is
/// what names a question across runs; <see cref="RunComparison"/> also requires the same population position, which a view
/// opened from an address need not have, so a run whose population differs still shows its sample of the question.
/// </summary>
/// <param name="A">Run A's sample of the question; null when run A does not hold it.</param>
/// <param name="B">Run B's sample of the question; null when run B does not hold it.</param>
public sealed record SamplePair(RunInfo RunA, RunInfo RunB, string QuestionId, RunSample? A, RunSample? B)
{
    public bool InBoth => A is not null && B is not null;

    /// <summary>Exact match in A against B; <see cref="Flip.None"/> unless the question is in both runs.</summary>
    public Flip Flip => A is not null && B is not null ? Flips.Of(A.ExactMatch, B.ExactMatch) : Flip.None;

    /// <summary>Both runs hold the question and predicted different text (ordinal: a changed span is a difference even when the
    /// metric normalises it away).</summary>
    public bool PredictionsDiffer => A is not null && B is not null && !string.Equals(A.Prediction, B.Prediction, StringComparison.Ordinal);

    /// <summary>Which run was right (exact match), in words; null unless the question is in both runs.</summary>
    public string? Verdict => A is null || B is null ? null
        : (A.ExactMatch, B.ExactMatch) switch
        {
            (true, true) => "Both runs are right.",
            (false, false) => "Both runs are wrong.",
            (true, false) => $"Only run {RunA.Id} (A) is right.",
            (false, true) => $"Only run {RunB.Id} (B) is right.",
        };

    /// <summary>Says which run lacks the question; null when both hold it.</summary>
    public string? MissingMessage => (A, B) switch
    {
        (null, _) => $"Run {RunA.Id} (A) has no question \"{QuestionId}\": its population differs from run {RunB.Id}'s.",
        (_, null) => $"Run {RunB.Id} (B) has no question \"{QuestionId}\": its population differs from run {RunA.Id}'s.",
        _ => null,
    };

    /// <summary>Reads both runs' samples of <paramref name="questionId"/>.</summary>
    /// <exception cref="InputException">A run is not in the database, or neither run holds the question.</exception>
    public static SamplePair Load(SqliteConnectionFactory database, long runA, long runB, string questionId)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(questionId);
        var store = new RunStore(database);
        var a = store.Find(runA) ?? throw new InputException($"{database.DatabasePath}: no run {runA}.");
        var b = store.Find(runB) ?? throw new InputException($"{database.DatabasePath}: no run {runB}.");
        var pair = new SamplePair(a, b, questionId, store.SampleOfQuestion(runA, questionId), store.SampleOfQuestion(runB, questionId));
        if (pair.A is null && pair.B is null)
        {
            throw new InputException($"{database.DatabasePath}: neither run {runA} nor run {runB} has question \"{questionId}\".");
        }
        return pair;
    }

    /// <summary>The question ids that appear in both neighbour lists (the same question near this one in both latent spaces).</summary>
    public static IReadOnlySet<string> SharedNeighbours(IReadOnlyList<SampleNeighbour>? a, IReadOnlyList<SampleNeighbour>? b)
    {
        if (a is null || b is null)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var inB = b.Select(n => n.ExampleId).ToHashSet(StringComparer.Ordinal);
        return a.Select(n => n.ExampleId).Where(inB.Contains).ToHashSet(StringComparer.Ordinal);
    }
}
