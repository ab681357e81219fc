using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Metadata;
using SquadAlbert.Analysis.Metrics;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>The ways a planted label error looks, after the label errors real SQuAD has.</summary>
public enum LabelNoiseKind
{
    /// <summary>The gold moved to an unrelated span of as many words elsewhere in the context, overlapping no gold.</summary>
    Moved,

    /// <summary>A boundary error: the gold extended or shrunk by one or more words at one end.</summary>
    Shifted,

    /// <summary>The gold replaced by another span of the context with the same answer type (number, date, name, …).</summary>
    Swapped,

    /// <summary>One further annotator's answer replaced by a different span; the first (the target) and the others kept.</summary>
    Disagreeing,
}

/// <summary>Share of the answerable questions to corrupt in each way, each in [0, 1], together at most 1.</summary>
public sealed record LabelNoiseRates(double Moved, double Shifted, double Swapped, double Disagreeing)
{
    public const double Default = 0.03;

    public static LabelNoiseRates Uniform(double rate) => new(rate, rate, rate, rate);

    public double Of(LabelNoiseKind kind) => kind switch
    {
        LabelNoiseKind.Moved => Moved,
        LabelNoiseKind.Shifted => Shifted,
        LabelNoiseKind.Swapped => Swapped,
        _ => Disagreeing,
    };
}

/// <summary>One corrupted question: its new answers, in the question's order (UTF-16 offsets into its context).</summary>
/// <param name="AnswerIndex">The one answer replaced (<see cref="LabelNoiseKind.Disagreeing"/>); null when every answer was.</param>
public sealed record LabelNoiseCorruption(SquadExample Example, LabelNoiseKind Kind, int? AnswerIndex, IReadOnlyList<SquadAnswer> Answers);

/// <summary>What a seed planted in a dataset.</summary>
/// <param name="Questions">Answerable questions, the base of every rate.</param>
/// <param name="Wanted">Questions each kind should have corrupted: round(rate × questions).</param>
/// <param name="Corruptions">In file order; fewer than wanted where too few questions allow a kind.</param>
public sealed record LabelNoisePlan(int Questions, IReadOnlyDictionary<LabelNoiseKind, int> Wanted, IReadOnlyList<LabelNoiseCorruption> Corruptions)
{
    public int Planted(LabelNoiseKind kind) => Corruptions.Count(c => c.Kind == kind);

    /// <summary>
    /// The SQuAD file with the planted answers written in: each corrupted question's <c>answers</c> get the new
    /// <c>text</c> and <c>answer_start</c>; every other key, value and the key order stay as they were. Text is written
    /// as UTF-8 where the source may have escaped it (official files write <c>\u2013</c>), so the content, not the
    /// bytes, is the source's.
    /// </summary>
    public byte[] ApplyTo(ReadOnlySpan<byte> squadJson, string sourcePath)
    {
        var start = squadJson.StartsWith(JsonInputFile.Utf8Bom) ? JsonInputFile.Utf8Bom.Length : 0;
        JsonNode root;
        try
        {
            root = JsonNode.Parse(squadJson[start..], documentOptions: new JsonDocumentOptions { MaxDepth = 64 })!;
            foreach (var corruption in Corruptions)
            {
                var location = corruption.Example.Location;
                var answers = root["data"]![location.ArticleIndex]!["paragraphs"]![location.ParagraphIndex]!["qas"]![location.QuestionIndex]!["answers"]!.AsArray();
                foreach (var (answer, written) in answers.Zip(LabelNoiseManifest.AsWritten(corruption.Example, corruption.Answers)))
                {
                    answer!["text"] = written.Text;
                    answer["answer_start"] = written.AnswerStart;
                }
            }
        }
        // The loader accepted the file, so only what it tolerates and a tree does not (a key twice in one object) ends here.
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InputException($"{sourcePath}: cannot rewrite the SQuAD file as a JSON tree: {ex.Message}", ex);
        }
        return JsonSerializer.SerializeToUtf8Bytes(root, LabelNoiseManifest.SquadWriteOptions);
    }
}

/// <summary>
/// Plants label errors in SQuAD questions, reproducibly: the seed shuffles the answerable questions once
/// (<see cref="SplitMix64"/>, fixed across .NET versions), then each kind, the most demanding first (swapped,
/// disagreeing, shifted, moved), takes the next questions in that order that it can corrupt until it has its share;
/// a question gets at most one kind. Spans are whole words (<see cref="TextWords.Spans"/>), so a planted answer never
/// starts or ends inside a word, and its text differs from every gold after the official normalization, so each
/// corruption is visible to exact match.
/// </summary>
/// <remarks>
/// Kinds moved, shifted and swapped give every answer of the question the same new span: the score and the loss read
/// the first answer, and evaluation takes the best of all, so a corruption of the first alone would be half hidden.
/// Disagreeing leaves the first answer (the target) alone: a wrong first answer is what the other kinds plant.
/// </remarks>
public static class LabelNoisePlanter
{
    /// <summary>Most words a boundary error adds or removes.</summary>
    public const int MaxShiftWords = 2;

    private static readonly LabelNoiseKind[] PlantingOrder =
        [LabelNoiseKind.Swapped, LabelNoiseKind.Disagreeing, LabelNoiseKind.Shifted, LabelNoiseKind.Moved];

    public static LabelNoisePlan Plant(IReadOnlyList<SquadExample> examples, LabelNoiseRates rates, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(rates);
        Validate(rates);
        var answerable = examples.Where(e => !e.IsImpossible && e.Answers.Count > 0).ToArray();
        var random = new SplitMix64(seed);
        for (var i = answerable.Length - 1; i > 0; i--)
        {
            var j = random.NextBelow(i + 1);
            (answerable[i], answerable[j]) = (answerable[j], answerable[i]);
        }
        var wanted = Enum.GetValues<LabelNoiseKind>().ToDictionary(kind => kind, kind => (int)Math.Round(rates.Of(kind) * answerable.Length, MidpointRounding.AwayFromZero));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var corruptions = new List<LabelNoiseCorruption>();
        foreach (var kind in PlantingOrder)
        {
            var planted = 0;
            for (var i = 0; i < answerable.Length && planted < wanted[kind]; i++)
            {
                var example = answerable[i];
                if (taken.Contains(example.Id) || Corrupt(example, kind, random) is not { } corruption)
                {
                    continue;
                }
                taken.Add(example.Id);
                corruptions.Add(corruption);
                planted++;
            }
        }
        corruptions.Sort((a, b) => CompareLocations(a.Example.Location, b.Example.Location));
        return new LabelNoisePlan(answerable.Length, wanted, corruptions);
    }

    /// <summary>Loads a SQuAD file and plants in it: the plan and the corrupted file (see <see cref="LabelNoisePlan.ApplyTo"/>).</summary>
    /// <exception cref="InputException">The file is missing, not SQuAD, or has validation problems: planted errors must be
    /// the only errors a question has.</exception>
    public static (LabelNoisePlan Plan, byte[] CorruptedJson) PlantInFile(string path, LabelNoiseRates rates, ulong seed)
    {
        var bytes = JsonInputFile.ReadAllBytes(path, "SQuAD");
        var dataset = SquadLoader.Parse(bytes, path);
        if (!dataset.Validation.IsClean)
        {
            throw new InputException($"{path}: {dataset.Validation.Problems.Count} validation problem(s), the first: {dataset.Validation.Problems[0]}; " +
                                     "`squad-albert validate` lists them. Corrupt a clean file, so that a planted error is the only one in its question.");
        }
        var plan = Plant(dataset.Examples, rates, seed);
        return (plan, plan.ApplyTo(bytes, path));
    }

    /// <summary>One corruption of <paramref name="kind"/> for the question, or null when its context offers none.</summary>
    public static LabelNoiseCorruption? Corrupt(SquadExample example, LabelNoiseKind kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(random);
        if (example.Answers.Count == 0)
        {
            return null;
        }
        var words = TextWords.Spans(example.Context);
        var first = example.Answers[0];
        if (kind == LabelNoiseKind.Disagreeing)
        {
            if (example.Answers.Count < 2)
            {
                return null;
            }
            var index = 1 + random.NextBelow(example.Answers.Count - 1);
            var reference = example.Answers[index];
            var options = new[] { Moved(example, words, reference), Shifted(example, words, reference) }.Where(o => o.Count > 0).ToList();
            if (options.Count == 0)
            {
                return null;
            }
            var span = Pick(options[random.NextBelow(options.Count)], random);
            var answers = example.Answers.ToArray();
            answers[index] = span;
            return new LabelNoiseCorruption(example, kind, index, answers);
        }
        var candidates = kind switch
        {
            LabelNoiseKind.Moved => Moved(example, words, first),
            LabelNoiseKind.Shifted => Shifted(example, words, first),
            _ => Swapped(example, words, first),
        };
        if (candidates.Count == 0)
        {
            return null;
        }
        var answer = Pick(candidates, random);
        return new LabelNoiseCorruption(example, kind, null, [.. Enumerable.Repeat(answer, example.Answers.Count)]);
    }

    public static void Validate(LabelNoiseRates rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        foreach (var kind in Enum.GetValues<LabelNoiseKind>())
        {
            var rate = rates.Of(kind);
            if (double.IsNaN(rate) || rate < 0 || rate > 1)
            {
                throw new InputException($"The {Name(kind)} rate must be between 0 and 1, got {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            }
        }
        var total = Enum.GetValues<LabelNoiseKind>().Sum(rates.Of);
        if (total > 1)
        {
            throw new InputException($"The rates add up to {total.ToString(System.Globalization.CultureInfo.InvariantCulture)}; a question takes one kind, so together they must be at most 1.");
        }
    }

    /// <summary>The name a kind has in manifests, reports and options: "moved", "shifted", "swapped", "disagreeing".</summary>
    public static string Name(LabelNoiseKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Word windows as long as <paramref name="reference"/> that overlap no gold.</summary>
    private static List<SquadAnswer> Moved(SquadExample example, IReadOnlyList<(int Start, int End)> words, SquadAnswer reference)
    {
        var candidates = new List<SquadAnswer>();
        if (WordRange(words, reference) is not { } range)
        {
            return candidates;
        }
        var (from, to) = range;
        var length = to - from;
        for (var start = 0; start + length <= words.Count; start++)
        {
            AddIfNew(candidates, example, words, start, start + length);
        }
        return candidates;
    }

    /// <summary>The reference's words with 1 … <see cref="MaxShiftWords"/> words added or removed at either end.</summary>
    private static List<SquadAnswer> Shifted(SquadExample example, IReadOnlyList<(int Start, int End)> words, SquadAnswer reference)
    {
        var candidates = new List<SquadAnswer>();
        if (WordRange(words, reference) is not { } range)
        {
            return candidates;
        }
        var (from, to) = range;
        for (var n = 1; n <= MaxShiftWords; n++)
        {
            foreach (var (start, end) in new[] { (from - n, to), (from + n, to), (from, to + n), (from, to - n) })
            {
                if (start >= 0 && end <= words.Count && start < end)
                {
                    AddIfNew(candidates, example, words, start, end, mayOverlapGold: true);
                }
            }
        }
        return candidates;
    }

    /// <summary>
    /// Word windows as long as the reference with its answer type, overlapping no gold. Types other than names match
    /// inside longer text (any short window with a digit is a number), so a window must also begin and end with words
    /// shaped as the reference's (digits, capitalised, lower case): "of 71,088" may replace "about 7,000", "Bowl 50"
    /// may not replace "71,088". A name must be whole: a capitalised or numeric word next to it, parted only by
    /// spaces, would make it a longer name ("Super Bowl" of "Super Bowl 50").
    /// </summary>
    private static List<SquadAnswer> Swapped(SquadExample example, IReadOnlyList<(int Start, int End)> words, SquadAnswer reference)
    {
        var candidates = new List<SquadAnswer>();
        var type = AnswerTypeClassifier.Classify(reference.Text);
        if (type == AnswerType.Other || WordRange(words, reference) is not { } range)
        {
            return candidates;
        }
        var (from, to) = range;
        var length = to - from;
        var context = example.Context;
        int Shape(int word) => char.IsDigit(context[words[word].Start]) ? 0 : char.IsUpper(context[words[word].Start]) ? 1 : 2;
        bool IsType(int start, int end) => AnswerTypeClassifier.Classify(context[words[start].Start..words[end - 1].End]) == type;
        // Two neighbouring words belong to one name when only spaces part them and neither is lower case.
        bool ContinuesName(int left, int right) =>
            Shape(left) != 2 && Shape(right) != 2 && string.IsNullOrWhiteSpace(context[words[left].End..words[right].Start]);
        for (var start = 0; start + length <= words.Count; start++)
        {
            var end = start + length;
            if (Shape(start) != Shape(from) || Shape(end - 1) != Shape(to - 1) || !IsType(start, end))
            {
                continue;
            }
            if (type == AnswerType.ProperNoun && ((start > 0 && ContinuesName(start - 1, start)) || (end < words.Count && ContinuesName(end - 1, end))))
            {
                continue;
            }
            AddIfNew(candidates, example, words, start, end);
        }
        return candidates;
    }

    /// <summary>Adds words [start, end) when their text differs from every gold's, and (unless allowed) overlaps none.</summary>
    private static void AddIfNew(List<SquadAnswer> candidates, SquadExample example, IReadOnlyList<(int Start, int End)> words, int start, int end, bool mayOverlapGold = false)
    {
        var from = words[start].Start;
        var to = words[end - 1].End;
        if (!mayOverlapGold && example.Answers.Any(gold => from < gold.AnswerEnd && gold.AnswerStart < to))
        {
            return;
        }
        var text = example.Context[from..to];
        var normalized = SquadAnswerNormalizer.Normalize(text);
        if (normalized.Length == 0 || example.Answers.Any(gold => SquadAnswerNormalizer.Normalize(gold.Text) == normalized))
        {
            return;
        }
        candidates.Add(new SquadAnswer(text, from));
    }

    /// <summary>The words an answer touches, as [From, To) word indices; null for an answer without a letter or digit.</summary>
    private static (int From, int To)? WordRange(IReadOnlyList<(int Start, int End)> words, SquadAnswer answer)
    {
        var from = -1;
        var to = -1;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].End > answer.AnswerStart && words[i].Start < answer.AnswerEnd)
            {
                from = from < 0 ? i : from;
                to = i + 1;
            }
        }
        return from < 0 ? null : (from, to);
    }

    private static SquadAnswer Pick(List<SquadAnswer> candidates, SplitMix64 random) => candidates[random.NextBelow(candidates.Count)];

    private static int CompareLocations(SquadLocation a, SquadLocation b) =>
        a.ArticleIndex != b.ArticleIndex ? a.ArticleIndex.CompareTo(b.ArticleIndex)
        : a.ParagraphIndex != b.ParagraphIndex ? a.ParagraphIndex.CompareTo(b.ParagraphIndex)
        : a.QuestionIndex.CompareTo(b.QuestionIndex);
}
