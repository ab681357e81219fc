using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>Which 2-D layout of the samples the map draws.</summary>
public enum MapProjection
{
    Umap,
    Pca,
}

/// <summary>A categorical column: each point's code into <see cref="Values"/> (distinct values, most frequent first).</summary>
public sealed record CategoricalColumn(IReadOnlyList<string> Values, int[] Codes)
{
    public string ValueAt(int point) => Values[Codes[point]];
}

/// <summary>
/// Every sample of one run as parallel arrays (point i is the i-th sample by index): both projections, the texts the
/// hover shows, and every <see cref="MapFields"/> column. Read with ONE query (<see cref="RunStore.Map"/>) so a page loads a
/// run's map once and then only recolours. Missing numbers (NULL) are <see cref="double.NaN"/>.
/// The <c>relation</c> field is the slice <see cref="RunSlices.RelationSlice"/> gives, so "quotation marks only" can be
/// coloured and filtered as on the Slices page.
/// </summary>
public sealed class MapPoints
{
    private readonly Dictionary<string, CategoricalColumn> _categorical;
    private readonly Dictionary<string, double[]> _numeric;

    internal MapPoints(
        long runId, int[] sampleIndex, double[] umapX, double[] umapY, double[] pcaX, double[] pcaY, string[] question, string[] gold,
        string[] prediction, Dictionary<string, CategoricalColumn> categorical, Dictionary<string, double[]> numeric)
    {
        RunId = runId;
        SampleIndex = sampleIndex;
        UmapX = umapX;
        UmapY = umapY;
        PcaX = pcaX;
        PcaY = pcaY;
        Question = question;
        Gold = gold;
        Prediction = prediction;
        _categorical = categorical;
        _numeric = numeric;
    }

    public long RunId { get; }

    public int Count => SampleIndex.Length;

    public int[] SampleIndex { get; }

    public double[] UmapX { get; }

    public double[] UmapY { get; }

    public double[] PcaX { get; }

    public double[] PcaY { get; }

    public string[] Question { get; }

    /// <summary>The gold answer the prediction scores best against.</summary>
    public string[] Gold { get; }

    public string[] Prediction { get; }

    /// <summary>Whether any sample has coordinates in <paramref name="projection"/> (a run not yet projected has none).</summary>
    public bool HasCoordinates(MapProjection projection)
    {
        var (x, y) = Coordinates(projection);
        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsNaN(x[i]) && !double.IsNaN(y[i]))
            {
                return true;
            }
        }
        return false;
    }

    public (double[] X, double[] Y) Coordinates(MapProjection projection) => projection == MapProjection.Pca ? (PcaX, PcaY) : (UmapX, UmapY);

    public CategoricalColumn Categorical(MapField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _categorical.TryGetValue(field.Name, out var column) ? column : throw new ArgumentException($"'{field.Name}' is not categorical", nameof(field));
    }

    public double[] Numeric(MapField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _numeric.TryGetValue(field.Name, out var column) ? column : throw new ArgumentException($"'{field.Name}' is not numeric", nameof(field));
    }

    /// <summary>The map of run <paramref name="runId"/>; no points when the run has no samples (read by <see cref="RunStore.Map"/>).</summary>
    public static MapPoints Load(SqliteConnectionFactory database, long runId)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new RunStore(database).Map(runId);
    }
}

/// <summary>
/// Fills a <see cref="MapPoints"/> point by point in sample order, as <see cref="RunStore.Map"/> reads a run's rows: the fields
/// by their position in the list it was made with, so a row costs no name lookups.
/// </summary>
internal sealed class MapPointsBuilder
{
    private readonly long _runId;
    private readonly IReadOnlyList<MapField> _fields;
    private readonly double[]?[] _numbers;
    private readonly CategoryBuilder?[] _categories;

    public MapPointsBuilder(long runId, int count, IReadOnlyList<MapField> fields)
    {
        _runId = runId;
        _fields = fields;
        SampleIndex = new int[count];
        UmapX = new double[count];
        UmapY = new double[count];
        PcaX = new double[count];
        PcaY = new double[count];
        Question = new string[count];
        Gold = new string[count];
        Prediction = new string[count];
        _numbers = [.. fields.Select(f => f.IsCategorical ? null : new double[count])];
        _categories = [.. fields.Select(f => f.IsCategorical ? new CategoryBuilder(count) : null)];
    }

    public int[] SampleIndex { get; }

    public double[] UmapX { get; }

    public double[] UmapY { get; }

    public double[] PcaX { get; }

    public double[] PcaY { get; }

    public string[] Question { get; }

    public string[] Gold { get; }

    public string[] Prediction { get; }

    /// <summary>Point <paramref name="point"/>'s value of numeric field <paramref name="field"/> (a position in the fields; NaN when missing).</summary>
    public void Number(int field, int point, double value) => _numbers[field]![point] = value;

    /// <summary>Point <paramref name="point"/>'s value of categorical field <paramref name="field"/> (a position in the fields), as shown.</summary>
    public void Category(int field, int point, string value) => _categories[field]!.Add(point, value);

    public MapPoints Build()
    {
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, CategoricalColumn>(StringComparer.Ordinal);
        for (var f = 0; f < _fields.Count; f++)
        {
            if (_numbers[f] is { } numbers)
            {
                numeric.Add(_fields[f].Name, numbers);
            }
            else
            {
                categorical.Add(_fields[f].Name, _categories[f]!.Build());
            }
        }
        return new MapPoints(_runId, SampleIndex, UmapX, UmapY, PcaX, PcaY, Question, Gold, Prediction, categorical, numeric);
    }

    /// <summary>Interns a categorical column's values as codes, then renumbers them most frequent first.</summary>
    private sealed class CategoryBuilder(int count)
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];
        private readonly List<int> _counts = [];
        private readonly int[] _pointCodes = new int[count];

        public void Add(int point, string value)
        {
            if (!_codes.TryGetValue(value, out var code))
            {
                code = _values.Count;
                _codes.Add(value, code);
                _values.Add(value);
                _counts.Add(0);
            }
            _counts[code]++;
            _pointCodes[point] = code;
        }

        public CategoricalColumn Build()
        {
            var order = Enumerable.Range(0, _values.Count)
                .OrderByDescending(c => _counts[c]).ThenBy(c => _values[c], StringComparer.Ordinal).ToArray();
            var renumber = new int[order.Length];
            for (var rank = 0; rank < order.Length; rank++)
            {
                renumber[order[rank]] = rank;
            }
            for (var i = 0; i < _pointCodes.Length; i++)
            {
                _pointCodes[i] = renumber[_pointCodes[i]];
            }
            return new CategoricalColumn([.. order.Select(c => _values[c])], _pointCodes);
        }
    }
}
