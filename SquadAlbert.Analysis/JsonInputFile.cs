using System.Globalization;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis;

/// <summary>
/// Reading a JSON file the user named (a SQuAD file, a predictions file): every failure becomes one
/// <see cref="InputException"/> line that names the file and, for bad JSON, the line, column and byte.
/// </summary>
internal static class JsonInputFile
{
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <param name="path">The file.</param>
    /// <param name="role">What the file is, to start messages: "SQuAD", "Predictions".</param>
    public static byte[] ReadAllBytes(string path, string role)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{role} file '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{role} file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The <see cref="InputException"/> for a syntax error that <see cref="Utf8JsonReader"/> found in <paramref name="bytes"/>.</summary>
    public static InputException NotJson(JsonException ex, JsonLineMap lines, ReadOnlySpan<byte> bytes, string path, string role)
    {
        var line = (int)(ex.LineNumber ?? 0);
        var column = ex.BytePositionInLine ?? 0;
        // The reader counts bytes after a byte-order mark, which only the first line has.
        var bomLength = bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var offset = lines.LineStart(line) + column + (line == 0 ? bomLength : 0);
        var position = lines.At(Math.Min(offset, bytes.Length));
        // The reader's own message repeats the position in its own 0-based terms; keep only the reason.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut];
        }
        reason = OneLine(reason, 160);
        var truncated = offset >= bytes.Length - 1 ? " The file ends before the JSON is complete; is it truncated?" : "";
        return new InputException($"{role} file '{path}' is not valid JSON at {position}: {reason.TrimEnd()}{truncated}", ex);
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => Describe(JsonTokenType.StartObject),
        JsonValueKind.Array => Describe(JsonTokenType.StartArray),
        JsonValueKind.String => Describe(JsonTokenType.String),
        JsonValueKind.Number => Describe(JsonTokenType.Number),
        JsonValueKind.True or JsonValueKind.False => Describe(JsonTokenType.True),
        JsonValueKind.Null => Describe(JsonTokenType.Null),
        _ => kind.ToString(),
    };

    /// <summary>Messages are shown on one line: control characters become escapes and long text is cut.</summary>
    public static string OneLine(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 8));
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                return builder.Append("...").ToString();
            }
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }
}

/// <summary>Turns byte offsets of a file into line and column; built only once a message needs a position.</summary>
internal sealed class JsonLineMap
{
    private readonly List<long> _lineStarts = [0];

    public JsonLineMap(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        int next;
        while ((next = bytes[offset..].IndexOf((byte)'\n')) >= 0)
        {
            offset += next + 1;
            _lineStarts.Add(offset);
        }
    }

    public long LineStart(int zeroBasedLine) => _lineStarts[Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1)];

    public JsonPosition At(long offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return new JsonPosition(line + 1, (int)(offset - _lineStarts[line]) + 1, offset);
    }
}
