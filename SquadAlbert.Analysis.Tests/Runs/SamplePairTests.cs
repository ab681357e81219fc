using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.Runs;

/// <summary>The side-by-side view's pairing: one question id found in two synthetic runs, with hand-set answers.</summary>
public sealed class SamplePairTests
{
    /// <summary>Two equal synthetic runs of 20 questions, then question synthetic-3 made right in A and wrong in B (another
    /// span), and synthetic-4 made wrong in A and right in B with the same text in both.</summary>
    private static (SqliteConnectionFactory Database, long A, long B) TwoRuns(int samplesB = 20)
    {
        var database = RunFixture.NewDatabase();
        var a = SyntheticRun.Create(database, 20, seed: 1, projected: false);
        var b = SyntheticRun.Create(database, samplesB, seed: 1, projected: false);
        Execute(database, $"UPDATE samples SET exact_match = 1, f1 = 1, prediction = 'answer 3' WHERE run_id = {a} AND example_id = 'synthetic-3'");
        Execute(database, $"UPDATE samples SET exact_match = 0, f1 = 0.25, prediction = 'answer 10' WHERE run_id = {b} AND example_id = 'synthetic-3'");
        Execute(database, $"UPDATE samples SET exact_match = 0, f1 = 0.5, prediction = 'answer 4' WHERE run_id = {a} AND example_id = 'synthetic-4'");
        Execute(database, $"UPDATE samples SET exact_match = 1, f1 = 1, prediction = 'answer 4' WHERE run_id = {b} AND example_id = 'synthetic-4'");
        return (database, a, b);
    }

    private static void Execute(SqliteConnectionFactory database, string sql)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public void A_question_right_in_A_and_wrong_in_B_is_a_flip_with_different_predictions()
    {
        var (database, a, b) = TwoRuns();

        var pair = SamplePair.Load(database, a, b, "synthetic-3");

        Assert.Equal((3, 3), (pair.A!.SampleIndex, pair.B!.SampleIndex));
        Assert.Equal(("answer 3", "answer 10"), (pair.A.Prediction, pair.B.Prediction));
        Assert.Equal(0.25, pair.B.F1);
        Assert.Equal(Flip.RightToWrong, pair.Flip);
        Assert.True(pair.PredictionsDiffer);
        Assert.Equal($"Only run {a} (A) is right.", pair.Verdict);
        Assert.Null(pair.MissingMessage);
    }

    [Fact]
    public void The_same_text_wrong_in_A_and_right_in_B_flips_the_other_way_without_a_prediction_difference()
    {
        var (database, a, b) = TwoRuns();

        var pair = SamplePair.Load(database, a, b, "synthetic-4");

        Assert.Equal(Flip.WrongToRight, pair.Flip);
        Assert.False(pair.PredictionsDiffer);
        Assert.Equal($"Only run {b} (B) is right.", pair.Verdict);
    }

    [Fact]
    public void The_pair_agrees_with_the_compare_page_on_every_matched_question()
    {
        var (database, a, b) = TwoRuns();

        var deltas = RunComparison.Compare(database, a, b).Samples;

        Assert.Equal([3, 4], deltas.Where(d => d.Flip != Flip.None).Select(d => d.SampleIndex));
        Assert.All(deltas, d => Assert.Equal(d.Flip, SamplePair.Load(database, a, b, d.ExampleId).Flip));
    }

    [Fact]
    public void A_question_only_one_run_holds_is_named_and_one_neither_holds_is_an_input_error()
    {
        var (database, a, b) = TwoRuns(samplesB: 10);

        var pair = SamplePair.Load(database, a, b, "synthetic-15");

        Assert.NotNull(pair.A);
        Assert.Null(pair.B);
        Assert.False(pair.InBoth);
        Assert.Equal((Flip.None, (string?)null), (pair.Flip, pair.Verdict));
        Assert.Equal($"Run {b} (B) has no question \"synthetic-15\": its population differs from run {a}'s.", pair.MissingMessage);
        var error = Assert.Throws<InputException>(() => SamplePair.Load(database, a, b, "synthetic-99"));
        Assert.Contains($"neither run {a} nor run {b} has question \"synthetic-99\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("no run 77", Assert.Throws<InputException>(() => SamplePair.Load(database, a, 77, "synthetic-1")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_samples_carry_their_stored_n_best_list()
    {
        var database = RunFixture.NewDatabase();
        var a = SyntheticRun.Create(database, 6, seed: 1, projected: false, unanswerableEvery: 3);

        var pair = SamplePair.Load(database, a, a, "synthetic-3");

        var best = Assert.Single(pair.A!.NBest!);
        Assert.Equal(("1998", 1.0), (best.Text, best.Probability));
        Assert.Equal(pair.A.Context.IndexOf("1998", StringComparison.Ordinal), best.Start);
        Assert.Empty(SamplePair.Load(database, a, a, "synthetic-1").A!.NBest!);
    }

    [Fact]
    public void Shared_neighbours_are_the_question_ids_in_both_lists()
    {
        static SampleNeighbour N(int index, string id) => new(index, 0.9f, "q", "g", "p", 1, 0, id);

        var shared = SamplePair.SharedNeighbours([N(1, "x"), N(2, "y"), N(3, "z")], [N(7, "z"), N(1, "w"), N(2, "x")]);

        Assert.Equal(["x", "z"], shared.Order(StringComparer.Ordinal));
        Assert.Empty(SamplePair.SharedNeighbours([N(1, "x")], null));
    }
}
