using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
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

    /// <summary>
    /// Reads a small JSON file whole: checked to be UTF-8, a byte-order mark skipped (parsing bytes, unlike a stream,
    /// does not skip one), syntax errors reported with their line and JSON path. The bytes come back for later
    /// messages (<see cref="FirstInvalidString"/>); the caller disposes the document.
    /// </summary>
    public static (JsonDocument Document, byte[] Bytes) ParseDocument(string path, string role)
    {
        var bytes = ReadAllBytes(path, role);
        EnsureUtf8(bytes, path, role);
        try
        {
            var bomLength = bytes.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
            return (JsonDocument.Parse(bytes.AsMemory(bomLength)), bytes);
        }
        catch (JsonException ex)
        {
            throw NotJson(ex, new JsonLineMap(bytes), bytes, path, role);
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

    /// <summary>
    /// Refuses bytes that are not UTF-8, naming the first bad byte and the JSON value it sits in. The JSON reader only
    /// checks structure, so without this a Latin-1 'é' surfaces later as an <see cref="InvalidOperationException"/>
    /// from whatever decodes the string (or not at all, in a value nobody reads).
    /// </summary>
    /// <param name="bytes">The whole file, byte-order mark included, so that offsets are file offsets.</param>
    public static void EnsureUtf8(ReadOnlySpan<byte> bytes, string path, string role)
    {
        if (Utf8.IsValid(bytes))
        {
            return;
        }
        var offset = FirstInvalidUtf8(bytes);
        var position = new JsonLineMap(bytes).At(offset);
        var bomLength = bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var where = PathAt(bytes[bomLength..], offset - bomLength) is { } jsonPath ? $", in {jsonPath}" : "";
        var hint = bytes.StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.StartsWith([(byte)0xFE, (byte)0xFF])
            ? "it starts with a UTF-16 byte-order mark; save it as UTF-8"
            : "JSON files must be UTF-8; was it saved as Latin-1 or Windows-1252?";
        throw new InputException(
            $"{role} file '{path}' is not valid UTF-8 at {position}{where}: byte 0x{bytes[(int)offset]:X2} does not belong to a UTF-8 character ({hint}).");
    }

    /// <summary>
    /// The <see cref="InputException"/> for a string that <see cref="Utf8JsonReader"/> could not decode although the file
    /// is UTF-8: an escape <c>\uD800</c>–<c>\uDFFF</c> that is not half of a surrogate pair. Such a "lone surrogate" is
    /// not a character; .NET refuses it, Python keeps it and other readers replace it, so the file is refused rather
    /// than read differently by different tools.
    /// </summary>
    /// <param name="bytes">The whole file, byte-order mark included.</param>
    /// <param name="tokenStart">File offset of the string or property name (its opening quote).</param>
    public static InputException InvalidString(ReadOnlySpan<byte> bytes, long tokenStart, string path, string role, Exception inner)
    {
        var escape = tokenStart + LoneSurrogateEscape(bytes[(int)tokenStart..]);
        var position = new JsonLineMap(bytes).At(escape);
        var bomLength = bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var where = PathAt(bytes[bomLength..], tokenStart - bomLength) is { } jsonPath ? $", in {jsonPath}" : "";
        var found = escape > tokenStart && escape + 6 <= bytes.Length ? Encoding.ASCII.GetString(bytes.Slice((int)escape, 6)) : "an escape";
        return new InputException(
            $"{role} file '{path}' has an invalid string at {position}{where}: {found} is a lone UTF-16 surrogate " +
            "(half of a pair), not a character; replace it with the character it was meant to be, or remove it.", inner);
    }

    /// <summary>
    /// <see cref="InvalidString(ReadOnlySpan{byte}, long, string, string, Exception)"/> for a reader that does not say which
    /// string failed (<see cref="JsonDocument"/>): the first key or string with a lone surrogate escape.
    /// </summary>
    public static InputException FirstInvalidString(ReadOnlySpan<byte> bytes, string path, string role, Exception inner)
    {
        var bomLength = bytes.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var reader = new Utf8JsonReader(bytes[bomLength..], new JsonReaderOptions { MaxDepth = 256 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                && LoneSurrogateEscape(bytes[(int)(bomLength + reader.TokenStartIndex)..]) > 0)
            {
                return InvalidString(bytes, bomLength + reader.TokenStartIndex, path, role, inner);
            }
        }
        return new InputException($"{role} file '{path}' has a string that cannot be read: {OneLine(inner.Message, 160)}", inner);
    }

    /// <summary>
    /// Where the first <c>\u</c> escape of a lone surrogate starts in a JSON string token (its opening quote at 0); 0
    /// when there is none.
    /// </summary>
    internal static int LoneSurrogateEscape(ReadOnlySpan<byte> token)
    {
        for (var i = 1; i < token.Length && token[i] != (byte)'"'; i++)
        {
            if (token[i] != (byte)'\\')
            {
                continue;
            }
            if (!TryEscapedUnit(token, i, out var unit))
            {
                i++; // a two-character escape such as \" or \n
                continue;
            }
            if (char.IsHighSurrogate(unit) && TryEscapedUnit(token, i + 6, out var next) && char.IsLowSurrogate(next))
            {
                i += 11;
                continue;
            }
            if (char.IsSurrogate(unit))
            {
                return i;
            }
            i += 5;
        }
        return 0;
    }

    private static bool TryEscapedUnit(ReadOnlySpan<byte> token, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > token.Length || token[at] != (byte)'\\' || token[at + 1] != (byte)'u')
        {
            return false;
        }
        var ok = ushort.TryParse(token.Slice(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value);
        unit = (char)value;
        return ok;
    }

    /// <summary>File offset of the first byte that is not part of a valid UTF-8 sequence (the file is known to have one).</summary>
    private static long FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[1024];
        long consumed = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes[(int)consumed..], chars, out var read, out _, replaceInvalidSequences: false);
            consumed += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return Math.Min(consumed, bytes.Length - 1);
            }
        }
    }

    /// <summary>
    /// The JSON path (<c>$.data[3].paragraphs[0].context</c>) of the value or key that holds byte <paramref name="offset"/>
    /// of <paramref name="json"/>; null when the JSON before it does not parse or the offset is between tokens.
    /// Only for messages: it reads the file again up to the offset.
    /// </summary>
    public static string? PathAt(ReadOnlySpan<byte> json, long offset)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        // One frame per open container: the index of its current element (arrays) or the name of its current key (objects).
        var frames = new List<(bool IsArray, int Index, string? Name)>();
        try
        {
            while (reader.Read())
            {
                var contains = reader.TokenStartIndex <= offset && offset < reader.BytesConsumed;
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    frames[^1] = frames[^1] with { Name = Encoding.UTF8.GetString(reader.ValueSpan) };
                    if (contains)
                    {
                        return Format(frames);
                    }
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                }
                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                }
                else if (contains)
                {
                    return Format(frames);
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;

        static string Format(List<(bool IsArray, int Index, string? Name)> frames)
        {
            var builder = new StringBuilder("$");
            foreach (var (isArray, index, name) in frames)
            {
                if (isArray)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"[{index}]");
                }
                else if (name is not null && name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(name[0]))
                {
                    builder.Append('.').Append(name);
                }
                else if (name is not null)
                {
                    builder.Append("[\"").Append(OneLine(name, 40)).Append("\"]");
                }
            }
            return builder.ToString();
        }
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
