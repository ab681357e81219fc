using System.Globalization;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>
/// One filter chip of the map: a category (<c>split=dev</c>) or a numeric range (<c>f1=0..0.5</c>, <c>loss=2..</c>,
/// <c>f1=..0.5</c>, bounds inclusive). The text form is what the URL keeps.
/// </summary>
public abstract record MapFilter(MapField Field)
{
    /// <summary>Separates the two bounds of a range.</summary>
    public const string RangeSeparator = "..";

    /// <summary>The URL form, read back by <see cref="Parse"/>.</summary>
    public abstract string Text { get; }

    /// <summary>What the chip shows.</summary>
    public abstract string Label { get; }

    /// <summary>A test of whether a point (by position) of <paramref name="points"/> passes.</summary>
    public abstract Func<int, bool> Matcher(MapPoints points);

    /// <summary>Reads <c>field=value</c> or <c>field=min..max</c>; a bad field, value or bound is an <see cref="InputException"/>
    /// naming the filter and what is wrong.</summary>
    public static MapFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new InputException($"filter '{text}': expected field=value or field=min..max");
        }
        var name = text[..equals].Trim();
        var value = text[(equals + 1)..];
        var field = MapFields.Find(name) ?? throw new InputException(
            $"filter '{text}': unknown field '{name}'; known fields: {string.Join(", ", MapFields.All.Select(f => f.Name))}");
        if (field.IsCategorical)
        {
            return new CategoryFilter(field, value);
        }
        var separator = value.IndexOf(RangeSeparator, StringComparison.Ordinal);
        if (separator < 0)
        {
            throw new InputException($"filter '{text}': {name} is numeric, so its value must be a range min..max (either bound may be left out)");
        }
        var min = Bound(text, value[..separator], "lower");
        var max = Bound(text, value[(separator + RangeSeparator.Length)..], "upper");
        if (min is null && max is null)
        {
            throw new InputException($"filter '{text}': give at least one bound of the range");
        }
        if (min > max)
        {
            throw new InputException($"filter '{text}': the lower bound {Format(min.Value)} is above the upper bound {Format(max!.Value)}");
        }
        return new RangeFilter(field, min, max);
    }

    private static double? Bound(string text, string bound, string which)
    {
        if (string.IsNullOrWhiteSpace(bound))
        {
            return null;
        }
        return double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new InputException($"filter '{text}': the {which} bound '{bound}' is not a number");
    }

    internal static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>Samples whose categorical <see cref="MapFilter.Field"/> equals <see cref="Value"/> (as the map shows it).</summary>
public sealed record CategoryFilter(MapField Field, string Value) : MapFilter(Field)
{
    public override string Text => $"{Field.Name}={Value}";

    public override string Label => $"{Field.Label} = {Value}";

    public override Func<int, bool> Matcher(MapPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var column = points.Categorical(Field);
        var code = column.Values.ToList().IndexOf(Value);
        var codes = column.Codes;
        return code < 0 ? _ => false : point => codes[point] == code;
    }
}

/// <summary>Samples whose numeric <see cref="MapFilter.Field"/> lies in [<see cref="Min"/>, <see cref="Max"/>]; missing values never do.</summary>
public sealed record RangeFilter(MapField Field, double? Min, double? Max) : MapFilter(Field)
{
    public override string Text => $"{Field.Name}={Bound(Min)}{RangeSeparator}{Bound(Max)}";

    public override string Label => (Min, Max) switch
    {
        ({ } min, { } max) => $"{Field.Label} ∈ [{Format(min)}, {Format(max)}]",
        ({ } min, null) => $"{Field.Label} ≥ {Format(min)}",
        (null, { } max) => $"{Field.Label} ≤ {Format(max)}",
        _ => Field.Label,
    };

    public override Func<int, bool> Matcher(MapPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var values = points.Numeric(Field);
        var min = Min ?? double.NegativeInfinity;
        var max = Max ?? double.PositiveInfinity;
        return point => values[point] >= min && values[point] <= max;
    }

    private static string Bound(double? value) => value is { } v ? Format(v) : "";
}

/// <summary>Applies a set of filter chips: chips on the same field are alternatives (OR), different fields must all hold (AND).</summary>
public static class MapFilters
{
    /// <summary>One flag per point: true where the point passes every field's chips.</summary>
    public static bool[] Apply(MapPoints points, IReadOnlyCollection<MapFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(filters);
        var mask = new bool[points.Count];
        Array.Fill(mask, true);
        foreach (var group in filters.GroupBy(f => f.Field.Name, StringComparer.Ordinal))
        {
            var matchers = group.Select(f => f.Matcher(points)).ToArray();
            for (var i = 0; i < mask.Length; i++)
            {
                if (mask[i])
                {
                    var any = false;
                    foreach (var matches in matchers)
                    {
                        if (matches(i))
                        {
                            any = true;
                            break;
                        }
                    }
                    mask[i] = any;
                }
            }
        }
        return mask;
    }
}
