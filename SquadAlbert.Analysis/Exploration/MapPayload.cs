using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>
/// What the browser receives once per run and projection, all as little-endian binary (Blazor sends byte arrays
/// outside its JSON, so 100k points cost no JSON escaping or parsing): float32 coordinates, int32 sample indices, and
/// the hover labels as one UTF-8 block with int32 start offsets (label i is bytes <c>offsets[i]..offsets[i+1]</c>).
/// Points without coordinates carry NaN and are not drawn.
/// </summary>
public sealed record MapPointsPayload(byte[] X, byte[] Y, byte[] SampleIndex, byte[] HoverText, byte[] HoverOffsets)
{
    /// <summary>Longest question and answer texts in a hover label; longer ones end in an ellipsis.</summary>
    public const int QuestionChars = 120;
    public const int AnswerChars = 60;

    /// <summary>Bytes on the wire: the binary arrays plus the UTF-8 of the hover texts.</summary>
    [JsonIgnore]
    public long ByteSize => X.LongLength + Y.LongLength + SampleIndex.LongLength + HoverText.LongLength + HoverOffsets.LongLength;

    /// <summary>The hover label of point <paramref name="point"/>, decoded as the browser does.</summary>
    public string HoverLabelAt(int point)
    {
        var start = BitConverter.ToInt32(HoverOffsets, point * sizeof(int));
        var end = BitConverter.ToInt32(HoverOffsets, (point + 1) * sizeof(int));
        return Encoding.UTF8.GetString(HoverText, start, end - start);
    }

    public static MapPointsPayload Build(MapPoints points, MapProjection projection)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = points.Coordinates(projection);
        var text = new MemoryStream();
        var offsets = new int[points.Count + 1];
        for (var i = 0; i < points.Count; i++)
        {
            offsets[i] = (int)text.Length;
            text.Write(Encoding.UTF8.GetBytes(HoverLabel(points.SampleIndex[i], points.Question[i], points.Gold[i], points.Prediction[i])));
        }
        offsets[^1] = (int)text.Length;
        return new MapPointsPayload(
            Singles(x), Singles(y), MemoryMarshal.AsBytes(points.SampleIndex.AsSpan()).ToArray(), text.ToArray(), MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray());
    }

    /// <summary>Only the coordinates, for switching projection without resending texts.</summary>
    public static (byte[] X, byte[] Y) Coordinates(MapPoints points, MapProjection projection)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = points.Coordinates(projection);
        return (Singles(x), Singles(y));
    }

    /// <summary>
    /// A hover label. Plotly renders a few HTML tags (b, i, a, br, span…) inside hover text and decodes entities, so
    /// dataset text is HTML-encoded: a question containing &lt;b&gt; shows the characters, not bold.
    /// </summary>
    public static string HoverLabel(int sampleIndex, string question, string gold, string prediction) =>
        $"#{sampleIndex}: {Encode(question, QuestionChars)}<br>gold: {Encode(gold, AnswerChars)}<br>prediction: {Encode(prediction, AnswerChars)}";

    /// <summary>Dataset text for Plotly (legend names, hover labels): shortened, then HTML-encoded.</summary>
    public static string Encode(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shortened = text.Length > maxChars ? string.Concat(text.AsSpan(0, maxChars - 1), "…") : text;
        return WebUtility.HtmlEncode(shortened);
    }

    /// <summary>Doubles as float32, little-endian: the precision a screen needs at half the bytes.</summary>
    public static byte[] Singles(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var singles = new float[values.Count];
        for (var i = 0; i < singles.Length; i++)
        {
            singles[i] = (float)values[i];
        }
        return MemoryMarshal.AsBytes(singles.AsSpan()).ToArray();
    }
}

/// <summary>What the browser receives on every recolour, resize or filter change: codes, values and sizes, no coordinates.</summary>
public sealed record MapStylePayload(
    byte[] Codes, byte[]? Values, string[] Names, string[] Colours, bool[] ColourByValue, int[] Counts, string? ValueTitle,
    double ValueMin, double ValueMax, byte[]? Sizes)
{
    public const int LegendChars = 40;

    [JsonIgnore]
    public long ByteSize => Codes.LongLength + (Values?.LongLength ?? 0) + (Sizes?.LongLength ?? 0) + Names.Sum(n => (long)Encoding.UTF8.GetByteCount(n) + 3);

    public static MapStylePayload Build(MapStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return new MapStylePayload(
            style.Codes,
            style.Values is null ? null : MapPointsPayload.Singles(style.Values),
            [.. style.Entries.Select(e => MapPointsPayload.Encode(e.Name, LegendChars))],
            [.. style.Entries.Select(e => e.Colour)],
            [.. style.Entries.Select(e => e.ColourByValue)],
            [.. style.Entries.Select(e => e.Count)],
            style.ValueTitle is null ? null : WebUtility.HtmlEncode(style.ValueTitle),
            style.ValueMin,
            style.ValueMax,
            style.Sizes);
    }
}
