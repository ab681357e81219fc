using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.WhatIf.Probes;

namespace SquadAlbert.Analysis.Tests.WhatIf.Probes;

public sealed class ProbeRewriteTests
{
    private const string NormansContext = "The Normans came from Normandy. In 1066 the Duke of Normandy conquered England. Many stayed.";

    private static ProbeInput Normans(string question, string gold) =>
        new("q1", "Normans", question, NormansContext, [new GoldAnswer(gold, NormansContext.IndexOf(gold, StringComparison.Ordinal))]);

    /// <summary>Another article (its title no name) with exactly one answer per type used, so every draw has one candidate.</summary>
    private static ProbeDonors OneCandidateDonors(params ProbeInput[] probed) =>
        ProbeDonors.From([.. probed, new ProbeInput("w1", "capital", "When?", "Founded in 1300 by Chopin.", [new GoldAnswer("1300", 11)]),
            new ProbeInput("w2", "capital", "Who?", "Founded in 1300 by Chopin.", [new GoldAnswer("Chopin", 19)])]);

    [Fact]
    public void Sentences_end_at_terminators_followed_by_space_and_no_lower_case_letter()
    {
        const string text = "  The U.S. team won. it went on! Dr. Smith left?  Then nothing";
        var spans = Sentences.Spans(text);
        Assert.Equal(["The U.S. team won. it went on!", "Dr.", "Smith left?", "Then nothing"], spans.Select(s => text[s.Start..s.End]));
        Assert.Empty(Sentences.Spans("   "));
        Assert.Equal([(0, 7)], Sentences.Spans("No stop"));
    }

    [Fact]
    public void The_distractor_replaces_the_wh_phrase_by_a_fake_answer_of_the_same_type_and_alters_the_names()
    {
        var input = Normans("In what year did the Duke of Normandy conquer England?", "1066");
        var rewrite = new DistractorProbe().Rewrite(input, OneCandidateDonors(input), seed: 7);

        var example = Assert.IsType<ProbedExample>(rewrite.Example);
        Assert.Equal(NormansContext + " In 1300 the Chopin of Chopin conquer Chopin.", example.Context);
        Assert.Equal(input.Question, example.Question);
        Assert.Equal(input.Golds, example.Golds);
        Assert.Equal(ProbeExpectation.KeepsAnswer, example.Expectation);
        Assert.Equal("appended: “In 1300 the Chopin of Chopin conquer Chopin.”", example.Change);
    }

    [Theory]
    [InlineData("Who was the leader of the Norse raiders?", "Rollo", "Chopin was the leader of the Norse raiders.")]
    [InlineData("How many men crossed the Channel?", "7,000", "300 men crossed the Channel.")]
    [InlineData("In what type of place did the Norse settle?", "Normandy", "In Chopin the Norse settle.")]
    [InlineData("When did the raiders arrive?", "911", "In 1300 the raiders arrive.")]
    [InlineData("Whose army won?", "William", "Chopin's army won.")]
    public void Statements_replace_the_wh_phrase(string question, string _, string expected)
    {
        var fake = expected.Contains("1300", StringComparison.Ordinal) ? "1300" : expected.StartsWith("300", StringComparison.Ordinal) ? "300" : "Chopin";
        var (sentence, fakeStart, problem) = DistractorProbe.Statement(question, fake, fake == "1300" ? AnswerType.Year : AnswerType.ProperNoun);
        Assert.Null(problem);
        Assert.Equal(expected, sentence);
        Assert.Equal(fake, sentence![fakeStart..(fakeStart + fake.Length)]);
    }

    [Fact]
    public void The_distractor_does_not_apply_without_a_fake_answer_a_wh_phrase_or_a_name_to_alter()
    {
        var why = Normans("Why did the Duke of Normandy conquer England?", "1066");
        Assert.Equal("“why” questions have no phrase a fake answer can stand in for", new DistractorProbe().Rewrite(why, OneCandidateDonors(why), 1).NotApplicable);

        var money = Normans("How much did the campaign cost?", "Normandy") with { Golds = [new GoldAnswer("£1.3 million", 0)] };
        Assert.Equal("no money answer from another article to use as the fake answer", new DistractorProbe().Rewrite(money, OneCandidateDonors(money), 1).NotApplicable);

        var plain = Normans("In what year did the raiders conquer the land?", "1066");
        Assert.Equal("no name or number in the question to alter, so the sentence would answer it wrongly instead of distracting",
            new DistractorProbe().Rewrite(plain, OneCandidateDonors(plain), 1).NotApplicable);

        var unanswerable = Normans("Who?", "1066") with { Golds = [] };
        Assert.False(new DistractorProbe().Rewrite(unanswerable, OneCandidateDonors(unanswerable), 1).IsApplicable);
    }

    [Theory]
    [InlineData("In what year did the Duke of Normandy conquer England?", "1066", "When did the Duke of Normandy conquer England?")]
    [InlineData("When did the Duke of Normandy conquer England?", "1066", "In what year did the Duke of Normandy conquer England?")]
    [InlineData("How many men crossed the Channel?", "7,000", "What number of men crossed the Channel?")]
    [InlineData("The Duke crossed with what number of men?", "7,000", "The Duke crossed with how many men?")]
    [InlineData("What year did the Duke conquer England?", "1066", "Which year did the Duke conquer England?")]
    [InlineData("Where did the Normans come from?", "Normandy", "In what place did the Normans come from?")]
    public void Wh_swaps_replace_the_first_wh_phrase_keeping_its_case(string question, string gold, string expected)
    {
        var input = Normans(question, gold);
        var example = Assert.IsType<ProbedExample>(new WhSwapProbe().Rewrite(input, OneCandidateDonors(input), 1).Example);
        Assert.Equal(expected, example.Question);
        Assert.Equal(NormansContext, example.Context);
        Assert.Equal(ProbeExpectation.KeepsAnswer, example.Expectation);
    }

    [Theory]
    [InlineData("When did the Normans emerge?", "Normandy", "“when” becomes “in what year” only for year answers")]
    [InlineData("What did the Duke do when he landed?", "1066",
        "no swappable wh-phrase (in what year, what/which year, when, how many, what number of, how much money, where, in what place, which person)")]
    [InlineData("Name the Duke.", "1066", "the question has no wh-word")]
    public void Wh_swaps_do_not_apply_without_a_matching_pair(string question, string gold, string reason)
    {
        var input = Normans(question, gold);
        Assert.Equal(reason, new WhSwapProbe().Rewrite(input, OneCandidateDonors(input), 1).NotApplicable);
    }

    [Theory]
    [InlineData("1066", "The Normans came from Normandy. Many stayed.")]
    [InlineData("stayed", "The Normans came from Normandy. In 1066 the Duke of Normandy conquered England.")]
    [InlineData("Normans", "In 1066 the Duke of Normandy conquered England. Many stayed.")]
    public void Answer_removal_drops_the_sentence_holding_the_gold(string gold, string expected)
    {
        var input = Normans("Question?", gold);
        var example = Assert.IsType<ProbedExample>(new AnswerRemovalProbe().Rewrite(input, OneCandidateDonors(input), 1).Example);
        Assert.Equal(expected, example.Context);
        Assert.Equal(ProbeExpectation.LosesAnswer, example.Expectation);
        Assert.Equal(input.Golds, example.Golds);
    }

    [Fact]
    public void Answer_removal_does_not_apply_when_the_gold_stays_reachable_or_the_context_is_one_sentence()
    {
        var twice = Normans("Where from?", "Normandy");
        Assert.Equal("the gold answer “Normandy” also appears in another sentence", new AnswerRemovalProbe().Rewrite(twice, OneCandidateDonors(twice), 1).NotApplicable);
        var single = new ProbeInput("s", "T", "Q?", "Only one sentence here.", [new GoldAnswer("one", 5)]);
        Assert.Equal("the context is a single sentence", new AnswerRemovalProbe().Rewrite(single, OneCandidateDonors(single), 1).NotApplicable);
    }

    [Fact]
    public void Entity_swap_replaces_every_whole_word_occurrence_by_an_answer_of_the_same_type()
    {
        const string context = "Rouen was the capital. Rouen grew, and Rouenais people stayed in Rouen.";
        var input = new ProbeInput("e1", "Normans", "What was the capital?", context, [new GoldAnswer("Rouen", 23)]);
        var example = Assert.IsType<ProbedExample>(new EntitySwapProbe().Rewrite(input, OneCandidateDonors(input), 3).Example);

        Assert.Equal("Chopin was the capital. Chopin grew, and Rouenais people stayed in Chopin.", example.Context);
        Assert.Equal([new GoldAnswer("Chopin", 24)], example.Golds);
        Assert.Equal(ProbeExpectation.FollowsSubstitute, example.Expectation);
        Assert.Equal("“Rouen” → “Chopin” (3 times)", example.Change);
    }

    [Fact]
    public void Entity_swap_does_not_apply_without_a_substitute_of_the_type_and_length_or_to_phrases()
    {
        var input = Normans("What share?", "Normandy") with { Golds = [new GoldAnswer("45%", 0)], Context = "About 45% agreed." };
        Assert.Equal("no percent answer from another article to substitute", new EntitySwapProbe().Rewrite(input, OneCandidateDonors(input), 1).NotApplicable);

        var long_ = Normans("Who?", "Normandy") with { Golds = [new GoldAnswer("The Duke Of Normandy", 40)] };
        Assert.Equal("the gold answer is not a whole-word string of the context", new EntitySwapProbe().Rewrite(long_, OneCandidateDonors(long_), 1).NotApplicable);
        var longName = long_ with { Context = "It was The Duke Of Normandy.", Golds = [new GoldAnswer("The Duke Of Normandy", 7)] };
        Assert.Equal("no proper noun answer from another article to substitute", new EntitySwapProbe().Rewrite(longName, OneCandidateDonors(longName), 1).NotApplicable);

        var phrase = Normans("What did they do?", "came from Normandy");
        Assert.Equal("the gold answer is no entity (answer type other), so no answer of its type can stand in for it",
            new EntitySwapProbe().Rewrite(phrase, OneCandidateDonors(phrase), 1).NotApplicable);
    }

    [Fact]
    public void Rewrites_are_deterministic_per_seed_and_depend_on_it()
    {
        var articles = Enumerable.Range(0, 30).Select(i => new ProbeInput(
            $"d{i}", $"Article {i}", "Who?", $"Person{i} Name{i} lived in {1500 + i}.", [new GoldAnswer($"Person{i} Name{i}", 0)])).ToList();
        var input = Normans("Who was the leader of the Norse raiders?", "Normans");
        var donors = ProbeDonors.From([input, .. articles]);
        foreach (var probe in new IProbe[] { new DistractorProbe(), new EntitySwapProbe() })
        {
            var first = probe.Rewrite(input, donors, 11).Example!;
            var again = probe.Rewrite(input, ProbeDonors.From([input, .. articles]), 11).Example!;
            Assert.Equal((first.Question, first.Context, first.Change), (again.Question, again.Context, again.Change));
            Assert.Equal(first.Golds, again.Golds);
            var others = Enumerable.Range(12, 10).Select(seed => probe.Rewrite(input, donors, seed).Example!.Context).ToHashSet();
            Assert.True(others.Count > 1 || !others.Contains(first.Context), $"{probe.Kind}: ten seeds gave the same rewrite");
        }
    }
}
