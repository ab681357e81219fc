using System.Text.Json;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>The official predictions format: one JSON object mapping question id to answer text.</summary>
public static class PredictionsFile
{
    private const string Role = "Predictions";

    /// <summary>Reads a predictions file. A repeated id keeps its last answer, as Python's <c>json.load</c> does.</summary>
    /// <exception cref="InputException">Missing or unreadable file, invalid JSON or UTF-8, a lone surrogate escape, or a value that is not a string.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (document, bytes) = JsonInputFile.ParseDocument(path, Role);
        using (document)
        {
            var root = Expect(document.RootElement, JsonValueKind.Object, path, "$");
            var predictions = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var property in root.EnumerateObject())
                {
                    predictions[property.Name] = Expect(property.Value, JsonValueKind.String, path, $"$[\"{property.Name}\"]").GetString()!;
                }
            }
            // The bytes are UTF-8, so decoding fails only on a lone surrogate escape (see JsonInputFile.InvalidString).
            catch (InvalidOperationException ex)
            {
                throw JsonInputFile.FirstInvalidString(bytes, path, Role, ex);
            }
            return predictions;
        }
    }

    private static JsonElement Expect(JsonElement value, JsonValueKind kind, string path, string jsonPath) =>
        value.ValueKind == kind
            ? value
            : throw new InputException(
                $"{Role} file '{path}': {jsonPath} must be {JsonInputFile.Describe(kind)}, found {JsonInputFile.Describe(value.ValueKind)}.");
}
