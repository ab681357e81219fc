using System.Text.Json;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Runs;

/// <summary>
/// One candidate answer of a sample's n-best list as stored in <c>samples.nbest_json</c> (a JSON array, best first):
/// its text, its character span in the context (end exclusive) and its probability (softmax of start + end logit over the
/// n-best list, so the list sums to 1): what the label-error components read. The window, tokens and score of a candidate
/// are not stored: nothing read them, and they were a third of every database (migration 6 removed them from older rows).
/// <see cref="ToJson"/> writes the array and <see cref="ParseJson"/> reads it.
/// </summary>
public sealed record NBestEntry(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("end")] int End,
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
                                     $"{{\"text\", \"start\", \"end\", \"probability\"}}: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// The serializer of <c>nbest_json</c>. Options stay at their defaults (non-ASCII escaped, as rows written before this
/// context existed were), so a new row reads like a migrated one; a missing or null field is an error rather than a
/// default, and the fields older rows carry beyond these are skipped.
/// </summary>
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(NBestEntry[]))]
internal sealed partial class NBestEntryJsonContext : JsonSerializerContext;
