using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.Tests.Metrics;

public class OfficialSquadMetricTests
{
    [Fact]
    public void Exact_match_compares_normalized_text()
    {
        Assert.True(OfficialSquadMetric.ExactMatch("The Broncos!", "broncos"));
        Assert.False(OfficialSquadMetric.ExactMatch("Denver Broncos", "broncos"));
    }

    [Fact]
    public void F1_counts_shared_tokens_with_multiplicity()
    {
        // pred "new york new york" (4 tokens), gold "new york city" (3): common = {new:1, york:1} = 2.
        // precision 2/4, recall 2/3, F1 = 2*0.5*(2/3)/(0.5+2/3) = 4/7.
        Assert.Equal(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), OfficialSquadMetric.F1("New York, New York", "the New York City"));
        Assert.Equal(4.0 / 7, OfficialSquadMetric.F1("New York, New York", "the New York City"), 14);
    }

    [Fact]
    public void F1_is_zero_without_common_tokens_and_for_empty_predictions()
    {
        Assert.Equal(0, OfficialSquadMetric.F1("Paris", "London"));
        Assert.Equal(0, OfficialSquadMetric.F1("", "London"));
        // Both sides normalize to nothing: exact match, yet F1 0 (no common token), as in the official script.
        Assert.True(OfficialSquadMetric.ExactMatch("the", "a"));
        Assert.Equal(0, OfficialSquadMetric.F1("the", "a"));
    }

    [Fact]
    public void Score_takes_the_best_gold_answer()
    {
        // gold 0: "Denver Broncos" vs pred "Broncos": p=1, r=1/2, F1=2/3. gold 1: exact.
        var score = OfficialSquadMetric.Score("the Broncos", ["Denver Broncos", "Broncos", "Broncos."]);
        Assert.Equal(new AnswerScore(true, 1.0, 1), score);

        var partial = OfficialSquadMetric.Score("Denver", ["Denver Broncos", "Carolina Panthers"]);
        Assert.Equal(new AnswerScore(false, 2 * 1.0 * 0.5 / (1.0 + 0.5), 0), partial);
    }

    [Fact]
    public void Score_prefers_an_exact_match_over_a_higher_f1_for_the_index()
    {
        // "a" normalizes to "" like the prediction "the": exact, F1 0; "the cat" vs "the" has F1 0 too.
        var score = OfficialSquadMetric.Score("the", ["cat", "a"]);
        Assert.Equal(new AnswerScore(true, 0, 1), score);
    }

    [Fact]
    public void Score_needs_a_gold_answer()
    {
        Assert.Throws<ArgumentException>(() => OfficialSquadMetric.Score("x", []));
    }

    [Fact]
    public void Evaluate_scores_unanswered_questions_zero_and_keeps_file_order()
    {
        SquadExample[] examples =
        [
            Example("q1", "Denver Broncos"),
            Example("q2", "Carolina Panthers"),
            Example("q3", "Santa Clara, California", "Levi's Stadium"),
        ];
        var predictions = new Dictionary<string, string>
        {
            ["q1"] = "Denver Broncos",
            ["q3"] = "Santa Clara",
            ["unknown"] = "ignored",
        };
        var result = OfficialSquadMetric.Evaluate(examples, predictions);
        // EM: 1 of 3. F1: 1 + 0 + (p=1, r=2/3 -> 0.8) = 1.8.
        Assert.Equal(100.0 * 1 / 3, result.ExactMatch);
        Assert.Equal(100.0 * (1.0 + (2 * 1.0 * (2.0 / 3) / (1.0 + 2.0 / 3))) / 3, result.F1);
        Assert.Equal(60.0, result.F1, 12);
        Assert.Equal(3, result.QuestionCount);
        Assert.Equal(["q2"], result.UnansweredIds);
        Assert.Equal("{\"exact_match\": 33.333333333333336, \"f1\": 60.0}", result.ToOfficialJson());
    }

    [Fact]
    public void Evaluate_of_nothing_answered_prints_zero_floats()
    {
        var result = OfficialSquadMetric.Evaluate([Example("q1", "x")], new Dictionary<string, string>());
        Assert.Equal("{\"exact_match\": 0.0, \"f1\": 0.0}", result.ToOfficialJson());
    }

    [Fact]
    public void Evaluate_rejects_an_empty_dataset()
    {
        Assert.Throws<ArgumentException>(() => OfficialSquadMetric.Evaluate([], new Dictionary<string, string>()));
    }

    private static SquadExample Example(string id, params string[] answers) =>
        new(id, "T", "context", "question?", answers.Select(text => new SquadAnswer(text, 0)).ToArray(), false, new SquadLocation(0, 0, 0));
}
