using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>The filter being composed in the map's "add filter" row: a field, then a value or a range.</summary>
public sealed class MapFilterDraft
{
    public MapField? Field { get; set; }

    /// <summary>The category, for a categorical field.</summary>
    public string? Value { get; set; }

    /// <summary>The inclusive bounds, for a numeric field; either may be empty.</summary>
    public double? Min { get; set; }

    public double? Max { get; set; }

    /// <summary>The chip this draft describes, parsed the same way as a URL filter so both give the same messages.</summary>
    /// <exception cref="InputException">No field, no value, or a range without bounds or with min above max.</exception>
    public MapFilter Build()
    {
        if (Field is null)
        {
            throw new InputException("choose a field to filter on");
        }
        if (Field.IsCategorical)
        {
            return Value is null ? throw new InputException($"choose a value of {Field.Label}") : MapFilter.Parse($"{Field.Name}={Value}");
        }
        return MapFilter.Parse(string.Create(CultureInfo.InvariantCulture, $"{Field.Name}={Min}{MapFilter.RangeSeparator}{Max}"));
    }

    public void Reset()
    {
        Value = null;
        Min = null;
        Max = null;
    }
}
