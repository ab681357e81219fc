using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>An answer as a SQuAD file writes it: <c>answer_start</c> counts code points, as Python does.</summary>
public sealed record LabelNoiseAnswer(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("answer_start")] int AnswerStart);

/// <summary>One planted label error: the question, how it was corrupted, and its answers before and after.</summary>
/// <param name="AnswerIndex">The one answer replaced (disagreeing); null when every answer was.</param>
public sealed record LabelNoiseEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] LabelNoiseKind Kind,
    [property: JsonPropertyName("answer_index")] int? AnswerIndex,
    [property: JsonPropertyName("original_answers")] IReadOnlyList<LabelNoiseAnswer> OriginalAnswers,
    [property: JsonPropertyName("answers")] IReadOnlyList<LabelNoiseAnswer> Answers);

/// <summary>
/// What <c>squad-albert label-noise corrupt</c> planted, so that a detector's ranking can be scored against it:
/// the files, seed and rates that reproduce it, and every corrupted question.
/// </summary>
/// <param name="Questions">Answerable questions of the source, the base of the rates.</param>
/// <param name="Planted">Questions corrupted per kind; below round(rate × questions) where too few questions allow a kind.</param>
public sealed record LabelNoiseManifest(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("corrupted")] string Corrupted,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("rates")] IReadOnlyDictionary<LabelNoiseKind, double> Rates,
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("planted")] IReadOnlyDictionary<LabelNoiseKind, int> Planted,
    [property: JsonPropertyName("corruptions")] IReadOnlyList<LabelNoiseEntry> Corruptions)
{
    private const string Role = "label-noise manifest";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<LabelNoiseKind>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Text as UTF-8 (only what JSON requires escaped), compact: how a corrupted SQuAD file is written.</summary>
    internal static readonly JsonSerializerOptions SquadWriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static LabelNoiseManifest From(LabelNoisePlan plan, LabelNoiseRates rates, ulong seed, string source, string corrupted)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rates);
        var kinds = Enum.GetValues<LabelNoiseKind>();
        return new LabelNoiseManifest(source, corrupted, seed, kinds.ToDictionary(k => k, rates.Of), plan.Questions, kinds.ToDictionary(k => k, plan.Planted),
            [.. plan.Corruptions.Select(c => new LabelNoiseEntry(
                c.Example.Id, c.Kind, c.AnswerIndex, AsWritten(c.Example, c.Example.Answers), AsWritten(c.Example, c.Answers)))]);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <exception cref="InputException">The file is missing, not JSON, or misses a field (named with its position).</exception>
    public static LabelNoiseManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = JsonInputFile.ReadAllBytes(path, Role);
        LabelNoiseManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<LabelNoiseManifest>(bytes.AsSpan(bytes.AsSpan().StartsWith(JsonInputFile.Utf8Bom) ? 3 : 0), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InputException($"{path}: not a {Role}: {ex.Message}", ex);
        }
        if (manifest?.Corruptions is null)
        {
            throw new InputException($"{path}: not a {Role}: the top-level object has no 'corruptions' array.");
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Corruptions.Count; i++)
        {
            var entry = manifest.Corruptions[i] ?? throw new InputException($"{path}: corruptions[{i}] is null, expected an object.");
            if (string.IsNullOrEmpty(entry.Id))
            {
                throw new InputException($"{path}: corruptions[{i}].id is missing or empty.");
            }
            if (entry.Answers is null || entry.Answers.Count == 0 || entry.Answers.Any(a => a?.Text is null))
            {
                throw new InputException($"{path}: corruptions[{i}].answers (question '{entry.Id}') must be a non-empty array of {{\"text\", \"answer_start\"}}.");
            }
            if (!ids.TryAdd(entry.Id, i))
            {
                throw new InputException($"{path}: corruptions[{i}].id '{entry.Id}' is already corruptions[{ids[entry.Id]}].");
            }
        }
        return manifest;
    }

    /// <summary>Answers with <c>answer_start</c> in code points, as a SQuAD file has them.</summary>
    internal static LabelNoiseAnswer[] AsWritten(SquadExample example, IReadOnlyList<SquadAnswer> answers) =>
        [.. answers.Select(a => new LabelNoiseAnswer(a.Text, SquadOffsets.Utf16ToCodePoint(example.Context, a.AnswerStart)))];
}
