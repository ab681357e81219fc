using System.Text.Json;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// One candidate answer of a sample's n-best list as stored in <c>samples.nbest_json</c> (a JSON array, best first):
/// its text, its character span in the context (end exclusive), the window and tokens it was read from, its score
/// (start logit + end logit) and its probability (softmax of the score over the n-best list, so the list sums to 1).
/// <see cref="ToJson"/> writes the array and <see cref="ParseJson"/> reads it.
/// </summary>
public sealed record NBestEntry(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("end")] int End,
    [property: JsonPropertyName("window")] int Window,
    [property: JsonPropertyName("start_token")] int StartToken,
    [property: JsonPropertyName("end_token")] int EndToken,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("probability")] double Probability)
{
    /// <summary>The <c>nbest_json</c> of these candidates, in their order.</summary>
    public static string ToJson(IEnumerable<NBestEntry> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return JsonSerializer.Serialize([.. candidates], NBestEntryJsonContext.Default.NBestEntryArray);
    }

    /// <summary>Reads a <c>nbest_json</c>; <paramref name="source"/> names the row in errors, e.g. "run 3 sample 7".</summary>
    /// <exception cref="InputException">The JSON is not an array of candidates with every field.</exception>
    public static IReadOnlyList<NBestEntry> ParseJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, NBestEntryJsonContext.Default.NBestEntryArray)
                ?? throw new JsonException("the value is null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{source}: samples.nbest_json is not an array of n-best candidates " +
                                     $"{{\"text\", \"start\", \"end\", \"window\", \"start_token\", \"end_token\", \"score\", \"probability\"}}: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// The serializer of <c>nbest_json</c>. Options stay at their defaults because rows written before this context existed
/// used <c>JsonSerializer.Serialize</c> of an anonymous object with default options, and new rows must be byte-identical;
/// a missing or null field is an error rather than a default.
/// </summary>
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(NBestEntry[]))]
internal sealed partial class NBestEntryJsonContext : JsonSerializerContext;
