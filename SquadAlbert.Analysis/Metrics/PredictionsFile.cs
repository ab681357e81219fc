using System.Text.Json;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>The official predictions format: one JSON object mapping question id to answer text.</summary>
public static class PredictionsFile
{
    /// <summary>Reads a predictions file. A repeated id keeps its last answer, as Python's <c>json.load</c> does.</summary>
    /// <exception cref="InputException">Missing or unreadable file, invalid JSON, or a value that is not a string.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var document = JsonInput.Parse(path, "Predictions");
        var root = JsonInput.Expect(document.RootElement, JsonValueKind.Object, path, "$");
        var predictions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            predictions[property.Name] = JsonInput.Expect(property.Value, JsonValueKind.String, path, $"$[\"{property.Name}\"]").GetString()!;
        }
        return predictions;
    }
}
