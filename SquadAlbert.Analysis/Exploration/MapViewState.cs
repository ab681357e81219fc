namespace SquadAlbert.Analysis.Exploration;

/// <summary>
/// What the map shows, as kept in its URL: projection, colour-by field, size-by field and filter chips. Reading a URL
/// never fails: unknown or malformed parts are dropped and listed in <see cref="Problems"/> for the page to show.
/// </summary>
public sealed record MapViewState(MapProjection Projection, MapField ColourBy, MapField? SizeBy, IReadOnlyList<MapFilter> Filters)
{
    public const string ProjectionKey = "projection";
    public const string ColourKey = "colour";
    public const string SizeKey = "size";
    public const string FilterKey = "filter";

    public static MapField DefaultColour { get; } = MapFields.Get("exact_match");

    public static MapViewState Default { get; } = new(MapProjection.Umap, DefaultColour, null, []);

    /// <summary>What could not be read from the URL, one message each.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Reads the query parameters (null or empty when absent).</summary>
    public static MapViewState FromQuery(string? projection, string? colour, string? size, IReadOnlyList<string>? filters)
    {
        var problems = new List<string>();
        var state = Default;
        if (!string.IsNullOrEmpty(projection))
        {
            if (Enum.TryParse<MapProjection>(projection, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !projection.All(char.IsDigit))
            {
                state = state with { Projection = parsed };
            }
            else
            {
                problems.Add($"unknown projection '{projection}' (umap or pca); showing UMAP");
            }
        }
        if (!string.IsNullOrEmpty(colour))
        {
            if (MapFields.Find(colour) is { } field)
            {
                state = state with { ColourBy = field };
            }
            else
            {
                problems.Add($"unknown colour field '{colour}'; colouring by {DefaultColour.Label}");
            }
        }
        if (!string.IsNullOrEmpty(size))
        {
            if (MapFields.Find(size) is { Kind: MapFieldKind.Numeric } field)
            {
                state = state with { SizeBy = field };
            }
            else
            {
                problems.Add($"size field '{size}' is not a numeric field; using one size");
            }
        }
        var parsedFilters = new List<MapFilter>();
        foreach (var text in filters ?? [])
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            try
            {
                var filter = MapFilter.Parse(text);
                if (!parsedFilters.Contains(filter))
                {
                    parsedFilters.Add(filter);
                }
            }
            catch (InputException e)
            {
                problems.Add(e.Message);
            }
        }
        return state with { Filters = parsedFilters, Problems = problems };
    }

    /// <summary>The query parameters for this state, null where the default applies (so the URL stays short).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        [ProjectionKey] = Projection == Default.Projection ? null : Projection.ToString().ToLowerInvariant(),
        [ColourKey] = ColourBy == Default.ColourBy ? null : ColourBy.Name,
        [SizeKey] = SizeBy?.Name,
        [FilterKey] = Filters.Count == 0 ? null : Filters.Select(f => f.Text).ToArray(),
    };

    public MapViewState WithFilter(MapFilter filter) => Filters.Contains(filter) ? this : this with { Filters = [.. Filters, filter] };

    public MapViewState WithoutFilter(MapFilter filter) => this with { Filters = [.. Filters.Where(f => f != filter)] };

    // Records compare lists by reference; two states are the same view when their parts are.
    public bool Equals(MapViewState? other) =>
        other is not null && Projection == other.Projection && ColourBy == other.ColourBy && SizeBy == other.SizeBy && Filters.SequenceEqual(other.Filters);

    public override int GetHashCode() => HashCode.Combine(Projection, ColourBy, SizeBy, Filters.Count);
}
