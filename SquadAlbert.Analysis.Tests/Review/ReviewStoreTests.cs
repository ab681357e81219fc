using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Tests.Review;

public sealed class ReviewStoreTests(AnalysedRun run) : IClassFixture<AnalysedRun>
{
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now = _now.AddSeconds(1);
    }

    private ReviewStore Store() => new(run.Database, new SteppingClock(new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero)));

    private RunSample Sample(int index) => new RunSampleReader(run.Database).Find(run.RunId, index)!;

    [Fact]
    public void The_latest_decision_replaces_the_earlier_one_and_the_log_keeps_both_with_their_times()
    {
        var store = Store();
        store.Decide(run.RunId, 1, ReviewVerdict.Wrong, "  gold names the wrong duke ");
        var latest = store.Decide(run.RunId, 1, ReviewVerdict.Ambiguous, null);

        Assert.Equal(latest, store.Find(run.RunId, 1));
        Assert.Equal(Sample(1).ExampleId, latest.ExampleId);
        var log = store.Log(run.RunId).Where(d => d.SampleIndex == 1).ToList();
        Assert.Equal([ReviewVerdict.Wrong, ReviewVerdict.Ambiguous], log.Select(d => d.Verdict));
        Assert.Equal("gold names the wrong duke", log[0].Note);
        Assert.Equal(["2026-11-27T19:00:01.000Z", "2026-11-27T19:00:02.000Z"], log.Select(d => StoredTime.ToText(d.DecidedAt)));
        Assert.Single(store.Decisions(run.RunId), d => d.SampleIndex == 1);
    }

    [Fact]
    public void A_fix_is_stored_with_its_span_and_must_match_the_context()
    {
        var store = Store();
        var sample = Sample(2);
        var span = new FixedSpan(sample.Context[10..20], 10);

        var decision = store.Decide(run.RunId, 2, ReviewVerdict.Fixed, "shorter", span);

        Assert.Equal(span, store.Find(run.RunId, 2)!.Fix);
        Assert.Equal(decision, store.Find(run.RunId, 2));
        Assert.Throws<InputException>(() => store.Decide(run.RunId, 2, ReviewVerdict.Fixed, null, new FixedSpan("not there at all", 10)));
        Assert.Throws<InputException>(() => store.Decide(run.RunId, 2, ReviewVerdict.Fixed, null, new FixedSpan("x", sample.Context.Length)));
        Assert.Throws<InputException>(() => store.Decide(run.RunId, 2, ReviewVerdict.Fixed, null));
        Assert.Throws<InputException>(() => store.Decide(run.RunId, 2, ReviewVerdict.Correct, null, span));
        Assert.Throws<InputException>(() => store.Decide(run.RunId, 9999, ReviewVerdict.Correct, null));
        Assert.Equal(span, store.Find(run.RunId, 2)!.Fix);
    }

    [Theory]
    [InlineData("  Paris  x", 0, 9, "Paris", 2)]
    [InlineData("a Paris", 1, 7, "Paris", 2)]
    [InlineData("ab", 0, 2, "ab", 0)]
    public void A_selection_loses_its_edge_whitespace(string context, int start, int end, string text, int expectedStart)
    {
        Assert.Equal(new FixedSpan(text, expectedStart), ReviewStore.SpanOfSelection(context, start, end));
    }

    [Theory]
    [InlineData("a  b", 1, 3)]
    [InlineData("ab", 1, 1)]
    [InlineData("ab", 0, 3)]
    [InlineData("a\ud83c\udfb5b", 1, 2)]
    public void A_blank_empty_outside_or_half_character_selection_is_refused(string context, int start, int end)
    {
        Assert.Throws<InputException>(() => ReviewStore.SpanOfSelection(context, start, end));
    }
}
