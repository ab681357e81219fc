using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Analysis.WhatIf;

namespace SquadAlbert.Analysis.Tests.WhatIf;

public sealed class WhatIfReaderTests
{
    private static (Analysis.Storage.SqliteConnectionFactory Database, RunInfo Run) AnalysedRun()
    {
        var database = RunFixture.NewDatabase();
        var result = AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1)));
        return (database, new RunStore(database).Find(result.RunId)!);
    }

    [Fact]
    public void An_unedited_example_reproduces_the_runs_stored_prediction()
    {
        var (database, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        var samples = new RunSampleReader(database).All(run.Id);
        Assert.Equal(12, samples.Count);
        foreach (var sample in samples)
        {
            var gold = sample.GoldAnswers[0];
            var result = reader.Run(run, new WhatIfEdit(sample.Question, sample.Context, new SquadAnswer(gold.Text, gold.Start)));
            Assert.Equal(sample.Prediction, result.Prediction);
            Assert.Equal((sample.PredictionStart, sample.PredictionEnd), (result.Span.Start, result.Span.End));
            Assert.Equal(sample.PredictionProbability, result.Probability, 5);
            Assert.Equal(sample.WindowCount, result.WindowCount);
            Assert.Equal(sample.ExactMatch, result.ExactMatch);
            Assert.NotEmpty(result.NBest);
            Assert.Equal(sample.Prediction, result.NBest[0].Text);
        }
        Assert.Equal(1, reader.Loads);
    }

    [Fact]
    public void Token_probabilities_cover_the_context_tokens_with_their_offsets()
    {
        var (database, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        var sample = new RunSampleReader(database).Find(run.Id, 0)!;
        var context = "Edited: " + sample.Context;
        var result = reader.Run(run, new WhatIfEdit("Who is it?", context, null));

        Assert.Null(result.ExactMatch);
        Assert.Null(result.F1);
        Assert.NotEmpty(result.Tokens);
        Assert.Equal(Enumerable.Range(0, result.Tokens.Count), result.Tokens.Select(t => t.Index));
        Assert.True(result.Tokens.Zip(result.Tokens.Skip(1)).All(p => p.First.Span.Start < p.Second.Span.Start));
        foreach (var token in result.Tokens)
        {
            Assert.Equal(context[token.Span.Start..token.Span.End], token.Text);
            Assert.InRange(token.StartProbability, 0, 1);
            Assert.InRange(token.EndProbability, 0, 1);
        }
        Assert.Equal(context[result.Span.Start..result.Span.End], result.Prediction);
        Assert.InRange(result.Probability, 0, 1);
    }

    [Fact]
    public void The_attribution_of_an_edit_is_complete_within_the_rules_bound_and_follows_the_edited_question()
    {
        var (database, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        var sample = new RunSampleReader(database).Find(run.Id, 0)!;
        var gold = new SquadAnswer(sample.GoldAnswers[0].Text, sample.GoldAnswers[0].Start);
        var request = new SampleAttributionRequest(
            AttributionMethod.IntegratedGradients, AttributionTarget.Loss, AdaptivePathQuadrature.DefaultMaxIntervals, IntegrationRule.Adaptive);

        var original = reader.Attribute(run, new WhatIfEdit(sample.Question, sample.Context, gold), request);
        var editedQuestion = "Tell me please: " + sample.Question;
        var edited = reader.Attribute(run, new WhatIfEdit(editedQuestion, sample.Context, gold), request);

        foreach (var attribution in new[] { original, edited })
        {
            Assert.NotNull(attribution.Attribution.Completeness);
            Assert.NotNull(attribution.CompletenessError);
            Assert.True(attribution.CompletenessError <= AdaptivePathQuadrature.DefaultRelativeBound, $"{attribution.Attribution.Completeness}");
            Assert.Equal(IntegrationRule.Adaptive, attribution.Attribution.Key.Rule);
            Assert.Equal(sample.LossOnCls, attribution.LossOnCls);
            Assert.Contains(attribution.Tokens.Context, s => s.InGold);
        }
        // The unedited example rebuilds the run's loss window; the edit's question tokens (and their scores) are its own.
        Assert.Equal(sample.LossWindow, original.Attribution.Key.WindowIndex);
        Assert.Equal(sample.Question, string.Concat(original.Tokens.Question.Select(s => s.Text)));
        Assert.Equal(editedQuestion, string.Concat(edited.Tokens.Question.Select(s => s.Text)));
        Assert.Contains(edited.Tokens.Question, s => s.Score is not null && s.Start < "Tell me please: ".Length);
        Assert.NotEqual(original.Attribution.TargetValue, edited.Attribution.TargetValue);
        Assert.NotEqual(
            original.Attribution.Tokens.Select(t => t.Score),
            edited.Attribution.Tokens.Select(t => t.Score));
    }

    [Fact]
    public void Empty_text_is_refused()
    {
        var (_, run) = AnalysedRun();
        using var reader = new WhatIfReader(threads: 1);
        Assert.Throws<InputException>(() => reader.Run(run, new WhatIfEdit(" ", "Some context.", null)));
    }

    [Theory]
    [InlineData("a b a", "a", 4, 4)]
    [InlineData("a b a", "a", 2, 0)]
    [InlineData("a b a", "a", null, 0)]
    [InlineData("a b a", "c", 0, null)]
    [InlineData("a b a", " ", 0, null)]
    public void The_gold_of_an_edit_is_found_at_its_offset_or_first_occurrence(string context, string text, int? start, int? expected) =>
        Assert.Equal(expected, WhatIfEdit.ResolveGold(context, text, start)?.AnswerStart);
}

public sealed class WordDiffTests
{
    [Fact]
    public void Marks_replaced_added_and_removed_words()
    {
        var diff = WordDiff.Of("When did the war end?", "In what year did the war finally end?");
        Assert.Equal(
            [(DiffKind.Removed, "When "), (DiffKind.Added, "In what year "), (DiffKind.Same, "did the war "), (DiffKind.Added, "finally "), (DiffKind.Same, "end?")],
            diff.Select(p => (p.Kind, p.Text)));
        Assert.True(WordDiff.Changed("a b", "a c"));
        Assert.False(WordDiff.Changed("a  b", "a b"));
        Assert.Equal([(DiffKind.Same, "same text")], WordDiff.Of("same text", "same text").Select(p => (p.Kind, p.Text)));
    }
}
