namespace SquadAlbert.Analysis.Exploration;

/// <summary>One legend entry: a category (or, for numeric colouring, "has a value" drawn on the colour bar).</summary>
/// <param name="Name">As the legend shows it (dataset text: encode before handing it to a renderer).</param>
/// <param name="Count">Visible points in the entry.</param>
/// <param name="Colour">CSS colour; ignored when <paramref name="ColourByValue"/>.</param>
/// <param name="ColourByValue">The entry's points take their colour from <see cref="MapStyle.Values"/> on a colour bar.</param>
public sealed record LegendEntry(string Name, int Count, string Colour, bool ColourByValue = false);

/// <summary>
/// How the map draws its points: every point's legend entry (<see cref="Codes"/>, <see cref="Hidden"/> for filtered-out
/// points), optional per-point colour values for a colour bar, and optional marker sizes. Changing colour, size or
/// filters changes only this, never the coordinates.
/// </summary>
public sealed record MapStyle(
    IReadOnlyList<LegendEntry> Entries, byte[] Codes, double[]? Values, string? ValueTitle, double ValueMin, double ValueMax, byte[]? Sizes)
{
    /// <summary>The code of a point the filters hide.</summary>
    public const byte Hidden = 255;

    /// <summary>Legend entries at most, so a code always fits a byte below <see cref="Hidden"/>.</summary>
    public const int MaxEntries = 200;

    public int VisibleCount => Entries.Sum(e => e.Count);
}

/// <summary>Builds <see cref="MapStyle"/>s: colour by a category (top categories + "other"), by a number, or highlight a subset.</summary>
public static class MapColouring
{
    public const int DefaultMaxCategories = 20;
    public const string OtherColour = "#b0b0b0";
    public const string MissingColour = "#d9d9d9";
    public const string NoValueName = "no value";
    public const double MinMarkerSize = 3;
    public const double MaxMarkerSize = 14;

    /// <summary>Distinct colours for categories, most frequent first (no greys: those mean "other" and "missing").</summary>
    public static IReadOnlyList<string> Palette { get; } =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79",
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#637939",
    ];

    /// <summary>One legend entry per category of <paramref name="field"/> among the visible points, the
    /// <paramref name="maxCategories"/> most frequent by name and the rest together as "other (n values)".</summary>
    public static MapStyle ByCategory(MapPoints points, MapField field, bool[] visible, int maxCategories = DefaultMaxCategories)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(visible);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCategories, MapStyle.MaxEntries - 1);
        var column = points.Categorical(field);
        var counts = new int[column.Values.Count];
        for (var i = 0; i < visible.Length; i++)
        {
            if (visible[i])
            {
                counts[column.Codes[i]]++;
            }
        }
        var shown = Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0)
            .OrderByDescending(c => counts[c]).ThenBy(c => column.Values[c], StringComparer.Ordinal).ToArray();
        var kept = shown.Length > maxCategories ? shown[..maxCategories] : shown;
        var entryOf = new int[counts.Length];
        Array.Fill(entryOf, kept.Length);
        var entries = new List<LegendEntry>();
        for (var e = 0; e < kept.Length; e++)
        {
            entryOf[kept[e]] = e;
            var name = column.Values[kept[e]];
            entries.Add(new LegendEntry(name, counts[kept[e]], name == MapFields.Missing ? MissingColour : Palette[e % Palette.Count]));
        }
        var rest = shown[kept.Length..];
        if (rest.Length > 0)
        {
            entries.Add(new LegendEntry($"other ({rest.Length} values)", rest.Sum(c => counts[c]), OtherColour));
        }
        var codes = new byte[points.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = visible[i] ? (byte)entryOf[column.Codes[i]] : MapStyle.Hidden;
        }
        return new MapStyle(entries, codes, null, null, 0, 0, null);
    }

    /// <summary>Colours visible points by the numeric <paramref name="field"/> on a colour bar; points without a value
    /// form a grey "no value" entry.</summary>
    public static MapStyle ByNumber(MapPoints points, MapField field, bool[] visible)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(visible);
        var values = points.Numeric(field);
        var codes = new byte[points.Count];
        int withValue = 0, missing = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var i = 0; i < codes.Length; i++)
        {
            if (!visible[i])
            {
                codes[i] = MapStyle.Hidden;
            }
            else if (double.IsNaN(values[i]))
            {
                codes[i] = 1;
                missing++;
            }
            else
            {
                withValue++;
                min = Math.Min(min, values[i]);
                max = Math.Max(max, values[i]);
            }
        }
        if (withValue == 0)
        {
            min = max = 0;
        }
        LegendEntry[] entries = [new(field.Label, withValue, Palette[0], ColourByValue: true), new(NoValueName, missing, MissingColour)];
        return new MapStyle(entries, codes, values, field.Label, min, max, null);
    }

    /// <summary>Two entries: the <paramref name="highlighted"/> points in colour, the other visible points greyed.</summary>
    public static MapStyle Highlight(bool[] highlighted, bool[] visible, string highlightedName, string othersName)
    {
        ArgumentNullException.ThrowIfNull(highlighted);
        ArgumentNullException.ThrowIfNull(visible);
        var codes = new byte[visible.Length];
        int inside = 0, outside = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = !visible[i] ? MapStyle.Hidden : highlighted[i] ? (byte)0 : (byte)1;
            if (visible[i] && highlighted[i])
            {
                inside++;
            }
            else if (visible[i])
            {
                outside++;
            }
        }
        return new MapStyle([new(highlightedName, inside, Palette[3]), new(othersName, outside, MissingColour)], codes, null, null, 0, 0, null);
    }

    /// <summary>Marker sizes from <see cref="MinMarkerSize"/> to <see cref="MaxMarkerSize"/> pixels, linear in the numeric
    /// <paramref name="field"/> between its smallest and largest value; points without a value get the smallest size.</summary>
    public static byte[] SizesBy(MapPoints points, MapField field)
    {
        ArgumentNullException.ThrowIfNull(points);
        var values = points.Numeric(field);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }
        var sizes = new byte[values.Length];
        var span = max - min;
        for (var i = 0; i < sizes.Length; i++)
        {
            var t = double.IsNaN(values[i]) || !(span > 0) ? 0 : (values[i] - min) / span;
            sizes[i] = (byte)Math.Round(MinMarkerSize + t * (MaxMarkerSize - MinMarkerSize));
        }
        return sizes;
    }
}
