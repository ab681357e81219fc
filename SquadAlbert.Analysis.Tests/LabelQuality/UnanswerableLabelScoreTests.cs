using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

/// <summary>Unanswerable SQuAD 2.0 questions are scored by the answerability check, not by the span heads (whose loss
/// against [CLS] and "disjoint" best span the learned weights read as a wrong label).</summary>
public sealed class UnanswerableLabelScoreTests
{
    private static LabelErrorInput Input(bool answerable, string question, string bestSpan, double noAnswer, double loss = 9) => new(
        question, $"It was in {bestSpan}.", answerable ? [new GoldAnswer("the king", 0)] : [], loss, loss, "disjoint", 0.95, 150,
        [new NBestEntry(bestSpan, 10, 10 + bestSpan.Length, 0.95)], answerable, noAnswer);

    [Fact]
    public void A_confident_answer_of_the_asked_type_calls_an_unanswerable_label_probably_wrong()
    {
        var input = Input(answerable: false, "In what year did the Normans arrive?", "1066", noAnswer: 0.1);
        var components = LabelErrorComponents.Of(input, 0);

        var scores = LabelErrorScorer.Score(input, components, LabelErrorWeights.Default);

        Assert.Equal(LabelKind.ProbablyWrong, scores.Kind);
        Assert.Equal(0.9, scores.Score, 12);
        Assert.Same(components, scores.Components);
    }

    [Theory]
    [InlineData("In what year did the Normans arrive?", "1066", 0.5)] // not confident
    [InlineData("What did the Normans bring?", "horses", 0.05)] // "what" asks for no type
    [InlineData("In what year did the Normans arrive?", "the Vikings", 0.05)] // no year
    public void Otherwise_an_unanswerable_label_scores_a_quarter_of_the_answer_belief_and_no_kind(string question, string span, double noAnswer)
    {
        var input = Input(answerable: false, question, span, noAnswer);

        var scores = LabelErrorScorer.Score(input, LabelErrorComponents.Of(input, 0), LabelErrorWeights.Default);

        Assert.Equal(LabelKind.None, scores.Kind);
        Assert.Equal((1 - noAnswer) * LabelErrorScorer.UntypedAnswerWeight, scores.Score, 12);
        Assert.True(scores.Score < LabelKinds.ProbablyWrongThreshold);
    }

    [Fact]
    public void Answerable_questions_keep_the_learned_score_and_a_missing_probability_reads_as_no_belief_in_an_answer()
    {
        var answerable = Input(answerable: true, "In what year did the Normans arrive?", "1066", noAnswer: 0.1);
        var components = LabelErrorComponents.Of(answerable, 0);
        Assert.Equal(LabelErrorScorer.Score(components, LabelErrorWeights.Default), LabelErrorScorer.Score(answerable, components, LabelErrorWeights.Default));

        var unstored = Input(answerable: false, "In what year did the Normans arrive?", "1066", noAnswer: 0) with { NoAnswerProbability = null };
        Assert.Equal(0, LabelErrorScorer.Score(unstored, LabelErrorComponents.Of(unstored, 0), LabelErrorWeights.Default).Score);
    }

    [Fact]
    public void The_label_scores_stage_scores_unanswerable_samples_by_the_answerability_check()
    {
        var path = Path.Combine(Path.GetTempPath(), "squad-albert-tests", $"unanswerable-labels-{Guid.NewGuid():N}.db");
        var database = AppSchema.Initialize(path);
        try
        {
            var runId = SyntheticRun.Create(database, 40, seed: 3, projected: false, unanswerableEvery: 3);
            var stored = new LatentStore(database).Samples(runId);
            Assert.Contains(stored, s => !s.LabelInput.Answerable);
            Assert.All(stored.Where(s => !s.LabelInput.Answerable), s => Assert.NotNull(s.LabelInput.NoAnswerProbability));

            var scored = stored.Select(s => LabelErrorScorer.Score(s.LabelInput, LabelErrorComponents.Of(s.LabelInput, 0), LabelErrorWeights.Default)).ToList();

            // Synthetic unanswerable samples: "When did …?" with best span "1998"; null − best span −5..−2 is a confident typed answer.
            for (var i = 0; i < stored.Count; i++)
            {
                if (!stored[i].LabelInput.Answerable)
                {
                    var diff = (stored[i].SampleIndex % 11) - 5;
                    Assert.Equal(diff <= -2 ? LabelKind.ProbablyWrong : LabelKind.None, scored[i].Kind);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
