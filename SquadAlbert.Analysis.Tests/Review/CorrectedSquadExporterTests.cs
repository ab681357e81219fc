using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class CorrectedSquadExporterTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    private static RunSample SampleOf(AnalysedRun analysed, string exampleId) =>
        new RunSampleReader(analysed.Database).All(analysed.RunId).Single(s => s.ExampleId == exampleId);

    private static SquadDataset Reload(CorrectedSquad export) => SquadLoader.Parse(export.ToUtf8Bytes(), "export.json");

    /// <summary>A SQuAD 2.0 question marked unanswerable that the reviewer answers becomes answerable: the answer goes
    /// into its empty list and <c>is_impossible</c> turns false, so the export loads without problems.</summary>
    [Fact]
    public void Fixing_an_unanswerable_v20_question_makes_it_answerable()
    {
        var file = TestPaths.Fixture(Path.Combine("squad", "valid-v2.0.json"));
        var decision = new ReviewDecision(1, 1, "g-1", ReviewVerdict.Fixed, null, new FixedSpan("sky", 19), new DateTimeOffset(2026, 12, 5, 19, 0, 0, TimeSpan.Zero));

        var export = CorrectedSquadExporter.Export([file], [decision], removeFlagged: false);

        var data = Reload(export);
        Assert.True(data.Validation.IsClean, data.ValidationWarning);
        var fixedQuestion = data.Examples.Single(e => e.Id == "g-1");
        Assert.False(fixedQuestion.IsImpossible);
        Assert.Equal([new SquadAnswer("sky", 19)], fixedQuestion.Answers);
        Assert.Equal(SquadLoader.Load(file).Examples.Single(e => e.Id == "g-0").Answers, data.Examples.Single(e => e.Id == "g-0").Answers);
        Assert.Equal(new CorrectedSquadSummary(2, 1, 0), export.Summary);
    }

    [Fact]
    public void Fixed_spans_replace_the_first_gold_answer_and_flagged_questions_are_removed_on_request()
    {
        var store = new ReviewStore(run.Database);
        var fixedSample = SampleOf(run, "n-2");
        var fix = ReviewStore.SpanOfSelection(fixedSample.Context, 0, 10);
        store.Decide(run.RunId, fixedSample.SampleIndex, ReviewVerdict.Fixed, null, fix);
        store.Decide(run.RunId, SampleOf(run, "w-1").SampleIndex, ReviewVerdict.Wrong, "no");
        store.Decide(run.RunId, SampleOf(run, "c-2").SampleIndex, ReviewVerdict.Ambiguous, null);
        store.Decide(run.RunId, SampleOf(run, "n-1").SampleIndex, ReviewVerdict.Correct, null);
        var original = SquadLoader.Load(run.DataFile);
        var decisions = store.Decisions(run.RunId);

        var kept = CorrectedSquadExporter.Export([run.DataFile], decisions, removeFlagged: false);
        var pruned = CorrectedSquadExporter.Export([run.DataFile], decisions, removeFlagged: true);

        var keptData = Reload(kept);
        Assert.True(keptData.Validation.IsClean, keptData.ValidationWarning);
        Assert.Equal(original.Examples.Select(e => e.Id), keptData.Examples.Select(e => e.Id));
        Assert.Equal(new CorrectedSquadSummary(original.Examples.Count, 1, 0), kept.Summary);
        var corrected = keptData.Examples.Single(e => e.Id == "n-2");
        var before = original.Examples.Single(e => e.Id == "n-2");
        Assert.Equal(new SquadAnswer(fix.Text, fix.Start), corrected.Answers[0]);
        Assert.Equal(before.Answers.Skip(1), corrected.Answers.Skip(1));
        Assert.Equal(before.Answers.Count, corrected.Answers.Count);
        Assert.Equal(original.Examples.Single(e => e.Id == "n-1").Answers, keptData.Examples.Single(e => e.Id == "n-1").Answers);

        var prunedData = Reload(pruned);
        Assert.True(prunedData.Validation.IsClean, prunedData.ValidationWarning);
        Assert.Equal(original.Examples.Select(e => e.Id).Except(["w-1", "c-2"]), prunedData.Examples.Select(e => e.Id));
        Assert.Equal(new CorrectedSquadSummary(original.Examples.Count - 2, 1, 2), pruned.Summary);
        Assert.Equal(original.Version, prunedData.Version);
    }

    [Fact]
    public void Answer_start_is_written_in_code_points_after_astral_characters()
    {
        var astral = new AstralRun().Run;
        var sample = SampleOf(astral, "astral-0");
        var at = sample.Context.IndexOf("final concert", StringComparison.Ordinal);
        var store = new ReviewStore(astral.Database);
        store.Decide(astral.RunId, sample.SampleIndex, ReviewVerdict.Fixed, null, new FixedSpan("final concert", at));

        var export = CorrectedSquadExporter.Export([astral.DataFile], store.Decisions(astral.RunId), removeFlagged: true);

        using var document = JsonDocument.Parse(export.Utf8Json);
        var answer = document.RootElement.GetProperty("data")[0].GetProperty("paragraphs")[0].GetProperty("qas")[0].GetProperty("answers")[0];
        Assert.Equal(at - 2, answer.GetProperty("answer_start").GetInt32());
        var reloaded = Reload(export);
        Assert.True(reloaded.Validation.IsClean, reloaded.ValidationWarning);
        Assert.Equal(new SquadAnswer("final concert", at), reloaded.Examples.Single().Answers[0]);
    }

    [Fact]
    public void A_decision_whose_question_or_span_is_not_in_the_file_is_refused_with_its_id()
    {
        var fixedUnknown = new ReviewDecision(run.RunId, 0, "no-such-id", ReviewVerdict.Wrong, null, null, new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero));
        var fixedElsewhere = new ReviewDecision(run.RunId, 0, "n-1", ReviewVerdict.Fixed, null, new FixedSpan("not in the context", 3), new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero));

        Assert.Contains("no-such-id", Assert.Throws<InputException>(() => CorrectedSquadExporter.Export([run.DataFile], [fixedUnknown], false)).Message, StringComparison.Ordinal);
        Assert.Contains("n-1", Assert.Throws<InputException>(() => CorrectedSquadExporter.Export([run.DataFile], [fixedElsewhere], false)).Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => CorrectedSquadExporter.Export(["/nonexistent/squad.json"], [], false));
    }
}
