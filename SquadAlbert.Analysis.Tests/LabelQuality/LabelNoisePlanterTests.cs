using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Metrics;
using SquadAlbert.Analysis.Tests.Model;

namespace SquadAlbert.Analysis.Tests.LabelQuality;

public sealed class LabelNoisePlanterTests
{
    private const string Context =
        "Super Bowl 50 was an American football game played on February 7, 2016, at Levi's Stadium in Santa Clara. " +
        "The Denver Broncos defeated the Carolina Panthers by 24 to 10 in front of 71,088 fans. Peyton Manning retired after the game.";

    private static readonly ulong[] Seeds = [.. Enumerable.Range(1, 40).Select(s => (ulong)s)];

    private static SquadExample Example(string id, params string[] golds) =>
        new(id, "Super Bowl 50", Context, "Who won?", [.. golds.Select(g => new SquadAnswer(g, Context.IndexOf(g, StringComparison.Ordinal)))], false,
            new SquadLocation(0, 0, 0));

    private static LabelNoiseCorruption Corrupt(SquadExample example, LabelNoiseKind kind, ulong seed) =>
        LabelNoisePlanter.Corrupt(example, kind, new SplitMix64(seed)) ?? throw new Xunit.Sdk.XunitException($"no {kind} corruption for seed {seed}");

    private static bool Overlaps(SquadAnswer a, SquadAnswer b) => a.AnswerStart < b.AnswerEnd && b.AnswerStart < a.AnswerEnd;

    private static void AssertAnswersContext(SquadExample example, LabelNoiseCorruption corruption)
    {
        Assert.Equal(example.Answers.Count, corruption.Answers.Count);
        foreach (var answer in corruption.Answers)
        {
            Assert.Equal(answer.Text, example.Context.Substring(answer.AnswerStart, answer.Text.Length));
        }
    }

    private static void AssertDiffersFromEveryGold(SquadExample example, SquadAnswer answer) =>
        Assert.All(example.Answers, gold => Assert.NotEqual(SquadAnswerNormalizer.Normalize(gold.Text), SquadAnswerNormalizer.Normalize(answer.Text)));

    [Fact]
    public void Moved_answers_are_as_many_words_elsewhere_and_overlap_no_gold()
    {
        var example = Example("q", "Denver Broncos", "The Denver Broncos", "Denver Broncos");
        foreach (var seed in Seeds)
        {
            var corruption = Corrupt(example, LabelNoiseKind.Moved, seed);

            AssertAnswersContext(example, corruption);
            Assert.Null(corruption.AnswerIndex);
            Assert.Single(corruption.Answers.Distinct());
            var moved = corruption.Answers[0];
            Assert.Equal(2, TextWords.Split(moved.Text).Count);
            Assert.All(example.Answers, gold => Assert.False(Overlaps(gold, moved), $"'{moved.Text}' overlaps '{gold.Text}'"));
            AssertDiffersFromEveryGold(example, moved);
        }
    }

    [Fact]
    public void Shifted_answers_overlap_the_gold_and_gain_or_lose_words_at_one_end()
    {
        var example = Example("q", "the Carolina Panthers");
        var gold = example.Answers[0];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in Seeds)
        {
            var corruption = Corrupt(example, LabelNoiseKind.Shifted, seed);

            AssertAnswersContext(example, corruption);
            var shifted = corruption.Answers[0];
            Assert.True(Overlaps(gold, shifted), $"'{shifted.Text}' does not overlap '{gold.Text}'");
            Assert.True(shifted.AnswerStart == gold.AnswerStart || shifted.AnswerEnd == gold.AnswerEnd, $"'{shifted.Text}' moved both ends");
            Assert.InRange(Math.Abs(TextWords.Split(shifted.Text).Count - 3), 1, LabelNoisePlanter.MaxShiftWords);
            AssertDiffersFromEveryGold(example, shifted);
            seen.Add(shifted.Text);
        }
        // Extending and shrinking at both ends all happen.
        Assert.Contains("defeated the Carolina Panthers", seen);
        // "Carolina Panthers" is the gold once the official normalization drops the article, so it is no error.
        Assert.DoesNotContain("Carolina Panthers", seen);
        Assert.Contains("Panthers", seen);
        Assert.Contains("the Carolina Panthers by", seen);
        Assert.Contains("the Carolina", seen);
    }

    [Theory]
    [InlineData("Denver Broncos", AnswerType.ProperNoun)]
    [InlineData("71,088", AnswerType.Number)]
    [InlineData("2016", AnswerType.Year)]
    public void Swapped_answers_have_the_gold_answer_type_and_overlap_no_gold(string gold, AnswerType type)
    {
        var example = Example("q", gold);
        Assert.Equal(type, AnswerTypeClassifier.Classify(gold));
        foreach (var seed in Seeds.Take(10))
        {
            var corruption = LabelNoisePlanter.Corrupt(example, LabelNoiseKind.Swapped, new SplitMix64(seed));
            if (type == AnswerType.Year)
            {
                // The context has no other year.
                Assert.Null(corruption);
                continue;
            }
            Assert.NotNull(corruption);
            AssertAnswersContext(example, corruption);
            var swapped = corruption.Answers[0];
            Assert.Equal(type, AnswerTypeClassifier.Classify(swapped.Text));
            Assert.False(Overlaps(example.Answers[0], swapped));
            AssertDiffersFromEveryGold(example, swapped);
        }
    }

    [Fact]
    public void Swapped_names_are_whole_names_and_numbers_start_and_end_with_digits()
    {
        var names = Seeds.Select(seed => Corrupt(Example("q", "Denver Broncos"), LabelNoiseKind.Swapped, seed).Answers[0].Text).ToHashSet();
        var numbers = Seeds.Select(seed => Corrupt(Example("q", "71,088"), LabelNoiseKind.Swapped, seed).Answers[0].Text).ToHashSet();

        // Not "Super Bowl" (of "Super Bowl 50"), "The Denver" (of the gold's sentence) or "Clara The" (across a full stop).
        Assert.Equal(["Carolina Panthers", "Levi's Stadium", "Peyton Manning", "Santa Clara"], names.Order(StringComparer.Ordinal));
        // Not "Bowl 50" or "50 was": a number begins and ends with digits as the gold does.
        Assert.Equal(["7, 2016"], numbers);
    }

    [Fact]
    public void Swapped_skips_answers_of_no_type()
    {
        Assert.Null(LabelNoisePlanter.Corrupt(Example("q", "defeated"), LabelNoiseKind.Swapped, new SplitMix64(1)));
    }

    [Fact]
    public void Disagreeing_replaces_one_further_annotator_and_keeps_the_others()
    {
        var example = Example("q", "Denver Broncos", "The Denver Broncos", "Denver Broncos");
        Assert.Null(LabelNoisePlanter.Corrupt(Example("q", "Denver Broncos"), LabelNoiseKind.Disagreeing, new SplitMix64(1)));
        var indices = new HashSet<int>();
        foreach (var seed in Seeds)
        {
            var corruption = Corrupt(example, LabelNoiseKind.Disagreeing, seed);

            AssertAnswersContext(example, corruption);
            var index = corruption.AnswerIndex!.Value;
            indices.Add(index);
            Assert.InRange(index, 1, 2);
            for (var i = 0; i < example.Answers.Count; i++)
            {
                if (i != index)
                {
                    Assert.Equal(example.Answers[i], corruption.Answers[i]);
                }
            }
            AssertDiffersFromEveryGold(example, corruption.Answers[index]);
        }
        Assert.Equal([1, 2], indices.Order());
    }

    [Fact]
    public void Offsets_count_utf16_inside_and_code_points_in_the_file()
    {
        var context = "𝄞 music: the clef 𝄞 opens Bach's Cello Suite, and the rest follows.";
        var gold = "Bach's Cello Suite";
        var example = new SquadExample("q", "t", context, "What?", [new SquadAnswer(gold, context.IndexOf(gold, StringComparison.Ordinal))], false, new SquadLocation(0, 0, 0));
        var corruption = Corrupt(example, LabelNoiseKind.Moved, 3);
        var plan = new LabelNoisePlan(1, new Dictionary<LabelNoiseKind, int>(), [corruption]);

        var written = LabelNoiseManifest.From(plan, LabelNoiseRates.Uniform(0), 3, "in.json", "out.json").Corruptions[0].Answers[0];

        Assert.Equal(written.Text, corruption.Answers[0].Text);
        // Two astral characters before any span after the second clef: code points are 2 fewer than UTF-16 units.
        var surrogatesBefore = context[..corruption.Answers[0].AnswerStart].Count(char.IsHighSurrogate);
        Assert.Equal(corruption.Answers[0].AnswerStart - surrogatesBefore, written.AnswerStart);
    }

    [Fact]
    public void Rates_are_honoured_and_the_same_seed_gives_the_same_plan()
    {
        var examples = SquadLoader.Load(DevFile()).Examples.Take(2000).ToList();
        var rates = new LabelNoiseRates(0.03, 0.02, 0.04, 0.05);

        var plan = LabelNoisePlanter.Plant(examples, rates, 7);
        var again = LabelNoisePlanter.Plant(examples, rates, 7);
        var other = LabelNoisePlanter.Plant(examples, rates, 8);

        Assert.Equal(2000, plan.Questions);
        Assert.Equal(60, plan.Planted(LabelNoiseKind.Moved));
        Assert.Equal(40, plan.Planted(LabelNoiseKind.Shifted));
        Assert.Equal(80, plan.Planted(LabelNoiseKind.Swapped));
        Assert.Equal(100, plan.Planted(LabelNoiseKind.Disagreeing));
        Assert.Equal(plan.Corruptions.Count, plan.Corruptions.Select(c => c.Example.Id).Distinct().Count());
        Assert.Equal(Describe(plan), Describe(again));
        Assert.NotEqual(Describe(plan), Describe(other));
    }

    [Fact]
    public void Rates_outside_0_to_1_or_adding_up_past_1_are_input_errors()
    {
        Assert.Contains("moved rate", Assert.Throws<InputException>(() => LabelNoisePlanter.Validate(new LabelNoiseRates(-0.1, 0, 0, 0))).Message, StringComparison.Ordinal);
        Assert.Contains("add up to 1.2", Assert.Throws<InputException>(() => LabelNoisePlanter.Validate(LabelNoiseRates.Uniform(0.3))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_corrupted_file_has_the_manifest_answers_and_nothing_else_changed()
    {
        var source = DevFile();
        var rates = LabelNoiseRates.Uniform(0.03);
        var (plan, corrupted) = LabelNoisePlanter.PlantInFile(source, rates, 11);
        var manifest = LabelNoiseManifest.From(plan, rates, 11, source, "corrupted.json");
        var folder = TinyEncoders.TempDirectory();
        var manifestPath = Path.Combine(folder, "m.json");
        File.WriteAllText(manifestPath, manifest.ToJson());

        var loaded = LabelNoiseManifest.Load(manifestPath);
        var original = SquadLoader.Load(source);
        var written = SquadLoader.Parse(corrupted, "corrupted.json");

        Assert.True(written.Validation.IsClean, string.Join("\n", written.Validation.Problems));
        Assert.Equal(plan.Corruptions.Count, loaded.Corruptions.Count);
        Assert.Equal(Enum.GetValues<LabelNoiseKind>().Select(k => plan.Planted(k)), Enum.GetValues<LabelNoiseKind>().Select(k => loaded.Planted[k]));
        Assert.All(Enum.GetValues<LabelNoiseKind>(), kind => Assert.True(loaded.Planted[kind] > 0));
        var byId = loaded.Corruptions.ToDictionary(c => c.Id);
        Assert.Equal(original.Examples.Count, written.Examples.Count);
        for (var i = 0; i < original.Examples.Count; i++)
        {
            var before = original.Examples[i];
            var after = written.Examples[i];
            Assert.Equal(before with { Answers = after.Answers }, after);
            if (byId.TryGetValue(before.Id, out var entry))
            {
                Assert.Equal(entry.Answers.Select(a => a.Text), after.Answers.Select(a => a.Text));
                Assert.Equal(entry.OriginalAnswers.Select(a => a.Text), before.Answers.Select(a => a.Text));
                Assert.NotEqual(before.Answers.Select(a => a.Text), after.Answers.Select(a => a.Text));
            }
            else
            {
                Assert.Equal(before.Answers, after.Answers);
            }
        }
        // Everything but the answers is the source's content: the trees differ only in answers.
        using var sourceTree = JsonDocument.Parse(File.ReadAllBytes(source));
        using var corruptedTree = JsonDocument.Parse(corrupted);
        Assert.Equal(sourceTree.RootElement.GetProperty("version").GetString(), corruptedTree.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void A_manifest_with_a_repeated_question_names_both_entries()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "m.json");
        var entry = """{"id": "a", "kind": "moved", "answer_index": null, "original_answers": [], "answers": [{"text": "x", "answer_start": 0}]}""";
        File.WriteAllText(path, $$"""{"corruptions": [{{entry}}, {{entry}}]}""");

        var error = Assert.Throws<InputException>(() => LabelNoiseManifest.Load(path));

        Assert.Contains("corruptions[1].id 'a' is already corruptions[0]", error.Message, StringComparison.Ordinal);
        File.WriteAllText(path, """{"corruptions": [{"id": "a", "kind": "lost"}]}""");
        Assert.Contains("$.corruptions[0].kind", Assert.Throws<InputException>(() => LabelNoiseManifest.Load(path)).Message, StringComparison.Ordinal);
    }

    private static string DevFile() => TestPaths.DevV11;

    private static string Describe(LabelNoisePlan plan) =>
        string.Join("\n", plan.Corruptions.Select(c => $"{c.Example.Id} {c.Kind} {c.AnswerIndex} {string.Join("|", c.Answers.Select(a => $"{a.AnswerStart}:{a.Text}"))}"));
}
