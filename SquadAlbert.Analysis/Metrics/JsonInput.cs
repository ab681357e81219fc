using System.Text.Json;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>Reads a user's JSON file and its fields, turning every problem into an <see cref="InputException"/>
/// that names the file, the JSON path and (for syntax errors) the line.</summary>
internal static class JsonInput
{
    public static JsonDocument Parse(string path, string role)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{role} file '{path}' not found.");
        }
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new InputException(
                $"{role} file '{path}' is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}", ex);
        }
        catch (IOException ex)
        {
            throw new InputException($"{role} file '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputException($"{role} file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    public static JsonElement Property(JsonElement parent, string name, JsonValueKind kind, string path, string jsonPath)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new InputException($"'{path}': {jsonPath} has no field '{name}'.");
        }
        return Expect(value, kind, path, $"{jsonPath}.{name}");
    }

    public static JsonElement Expect(JsonElement value, JsonValueKind kind, string path, string jsonPath)
    {
        if (value.ValueKind != kind)
        {
            throw new InputException($"'{path}': {jsonPath} must be {Describe(kind)}, found {Describe(value.ValueKind)}.");
        }
        return value;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    // System.Text.Json appends "Path: $ | LineNumber: .." to its messages; the position is reported separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
