using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>
/// What the browser receives once per run and projection, all as little-endian binary (Blazor sends byte arrays
/// outside its JSON, so 100k points cost no JSON escaping or parsing): float32 coordinates and int32 sample indices.
/// Points without coordinates carry NaN and are not drawn. Hover labels are not sent: the browser asks for one
/// point's label when the pointer rests on it (<see cref="HoverLines"/>), which keeps a 100k-point payload at 1.2 MB
/// instead of 12 MB.
/// </summary>
public sealed record MapPointsPayload(byte[] X, byte[] Y, byte[] SampleIndex)
{
    /// <summary>Longest question and answer texts in a hover label; longer ones end in an ellipsis.</summary>
    public const int QuestionChars = 120;
    public const int AnswerChars = 60;

    /// <summary>Bytes on the wire.</summary>
    [JsonIgnore]
    public long ByteSize => X.LongLength + Y.LongLength + SampleIndex.LongLength;

    public static MapPointsPayload Build(MapPoints points, MapProjection projection)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = points.Coordinates(projection);
        return new MapPointsPayload(Singles(x), Singles(y), MemoryMarshal.AsBytes(points.SampleIndex.AsSpan()).ToArray());
    }

    /// <summary>
    /// The hover label of the point at <paramref name="position"/> as plain-text lines (question, gold, prediction),
    /// shortened; the browser shows them as text, never as HTML. Null for a position outside the points.
    /// </summary>
    public static string[]? HoverLines(MapPoints points, int position)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (position < 0 || position >= points.Count)
        {
            return null;
        }
        return
        [
            $"#{points.SampleIndex[position].ToString(CultureInfo.InvariantCulture)}: {Shorten(points.Question[position], QuestionChars)}",
            $"gold: {Shorten(points.Gold[position], AnswerChars)}",
            $"prediction: {Shorten(points.Prediction[position], AnswerChars)}",
        ];
    }

    /// <summary>Only the coordinates, for switching projection without resending texts.</summary>
    public static (byte[] X, byte[] Y) Coordinates(MapPoints points, MapProjection projection)
    {
        ArgumentNullException.ThrowIfNull(points);
        var (x, y) = points.Coordinates(projection);
        return (Singles(x), Singles(y));
    }

    /// <summary>Dataset text for Plotly's legend, which renders a few HTML tags (b, i, a, br, span…) and decodes
    /// entities: shortened, then escaped (<see cref="PlotlyText"/>), so a title containing &lt;b&gt; shows the
    /// characters, not bold.</summary>
    public static string Encode(string text, int maxChars) => PlotlyText.Escape(Shorten(text, maxChars));

    /// <summary><paramref name="text"/> cut to <paramref name="maxChars"/> characters, the last one an ellipsis.</summary>
    public static string Shorten(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > maxChars ? string.Concat(text.AsSpan(0, maxChars - 1), "…") : text;
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
            PlotlyText.EscapeOrNull(style.ValueTitle),
            style.ValueMin,
            style.ValueMax,
            style.Sizes);
    }
}
