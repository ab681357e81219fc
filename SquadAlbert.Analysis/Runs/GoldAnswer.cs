using System.Text.Json;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// A gold answer as stored with a sample: its text and its start in UTF-16 code units of the context. A sample's
/// answers are stored as a JSON array in <c>samples.gold_answers_json</c>; <see cref="ToJson"/> writes it and
/// <see cref="ParseJson"/> reads it, and SQL that looks inside it names the fields with <see cref="TextField"/> and
/// <see cref="StartField"/>.
/// </summary>
public sealed record GoldAnswer(
    [property: JsonPropertyName(GoldAnswer.TextField)] string Text,
    [property: JsonPropertyName(GoldAnswer.StartField)] int Start)
{
    /// <summary>The JSON name of <see cref="Text"/>.</summary>
    public const string TextField = "text";

    /// <summary>The JSON name of <see cref="Start"/>.</summary>
    public const string StartField = "start";

    [JsonIgnore]
    public int End => Start + Text.Length;

    /// <summary>The <c>gold_answers_json</c> of these answers, e.g. <c>[{"text":"Rollo","start":0}]</c>.</summary>
    public static string ToJson(IEnumerable<GoldAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return JsonSerializer.Serialize([.. answers], GoldAnswerJsonContext.Default.GoldAnswerArray);
    }

    /// <summary>Reads a <c>gold_answers_json</c>; <paramref name="source"/> names the row in errors, e.g. "run 3 sample 7".</summary>
    /// <exception cref="InputException">The JSON is not an array of answers with both fields.</exception>
    public static IReadOnlyList<GoldAnswer> ParseJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, GoldAnswerJsonContext.Default.GoldAnswerArray)
                ?? throw new JsonException("the value is null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{source}: samples.gold_answers_json is not an array of {{\"{TextField}\", \"{StartField}\"}}: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// The serializer of <c>gold_answers_json</c>. Options stay at their defaults because rows written before this
/// context existed used <c>JsonSerializer.Serialize</c> with default options (non-ASCII escaped as <c>\uXXXX</c>), and
/// new rows must be byte-identical; a missing or null field is an error rather than a default.
/// </summary>
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(GoldAnswer[]))]
internal sealed partial class GoldAnswerJsonContext : JsonSerializerContext;
