using System.Globalization;
using Microsoft.Data.Sqlite;
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
/// hover shows, and every <see cref="MapFields"/> column. Read with ONE query so a page loads a run's map once and then
/// only recolours. Missing numbers (NULL) are <see cref="double.NaN"/>. The <c>relation</c> field is the slice
/// <see cref="RunSlices.RelationSlice"/> gives, so "quotation marks only" can be coloured and filtered as on the Slices page.
/// </summary>
public sealed class MapPoints
{
    /// <summary>The name the query gives the text of the gold answer the prediction scores best against.</summary>
    private const string BestGold = "best_gold_text";

    private readonly Dictionary<string, CategoricalColumn> _categorical;
    private readonly Dictionary<string, double[]> _numeric;

    private MapPoints(
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

    /// <summary>The map of run <paramref name="runId"/>; no points when the run has no samples.</summary>
    public static MapPoints Load(SqliteConnectionFactory database, long runId)
    {
        ArgumentNullException.ThrowIfNull(database);
        var fields = MapFields.All;
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SampleColumns.List(SampleColumns.SampleIndex, SampleColumns.UmapX, SampleColumns.UmapY, SampleColumns.PcaX, SampleColumns.PcaY)}, " +
            $"{SampleColumns.Question}, {SampleColumns.Prediction}, {SampleColumns.GoldAnswersJson}, " +
            $"coalesce(json_extract({SampleColumns.GoldAnswersJson}, '$[' || {SampleColumns.BestGoldIndex} || '].{GoldAnswer.TextField}'), '') AS {BestGold}, " +
            SampleColumns.List(fields.Select(f => f.Name)) +
            " FROM samples WHERE run_id = $run ORDER BY sample_index";
        command.Parameters.AddWithValue("$run", runId);

        var count = SampleCount(connection, runId);
        var sampleIndex = new int[count];
        var umapX = new double[count];
        var umapY = new double[count];
        var pcaX = new double[count];
        var pcaY = new double[count];
        var question = new string[count];
        var gold = new string[count];
        var prediction = new string[count];
        var numeric = fields.Where(f => !f.IsCategorical).ToDictionary(f => f.Name, _ => new double[count], StringComparer.Ordinal);
        var builders = fields.Where(f => f.IsCategorical).ToDictionary(f => f.Name, f => new CategoryBuilder(f, count), StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        // Ordinals by name once, not per row: this loop reads every column of up to 100k rows.
        var (indexAt, umapXAt, umapYAt, pcaXAt, pcaYAt) = (reader.GetOrdinal(SampleColumns.SampleIndex), reader.GetOrdinal(SampleColumns.UmapX),
            reader.GetOrdinal(SampleColumns.UmapY), reader.GetOrdinal(SampleColumns.PcaX), reader.GetOrdinal(SampleColumns.PcaY));
        var (questionAt, goldAt, predictionAt) = (reader.GetOrdinal(SampleColumns.Question), reader.GetOrdinal(BestGold), reader.GetOrdinal(SampleColumns.Prediction));
        var fieldAt = fields.Select(f => reader.GetOrdinal(f.Name)).ToArray();
        var goldsAt = reader.GetOrdinal(SampleColumns.GoldAnswersJson);
        var i = 0;
        while (reader.Read())
        {
            if (i == count)
            {
                throw new InvalidOperationException($"run {runId} gained samples while its map was read; reload the page");
            }
            sampleIndex[i] = reader.GetInt32(indexAt);
            umapX[i] = NumberOrNaN(reader, umapXAt);
            umapY[i] = NumberOrNaN(reader, umapYAt);
            pcaX[i] = NumberOrNaN(reader, pcaXAt);
            pcaY[i] = NumberOrNaN(reader, pcaYAt);
            question[i] = reader.GetString(questionAt);
            gold[i] = reader.GetString(goldAt);
            prediction[i] = reader.GetString(predictionAt);
            for (var f = 0; f < fields.Count; f++)
            {
                var field = fields[f];
                if (field.Name == SampleColumns.Relation && !reader.IsDBNull(fieldAt[f]))
                {
                    var golds = GoldAnswer.ParseJson(reader.GetString(goldsAt), string.Create(CultureInfo.InvariantCulture, $"run {runId} sample {sampleIndex[i]}"));
                    builders[field.Name].Add(i, RunSlices.RelationSlice(reader.GetString(fieldAt[f]), prediction[i], golds.Select(g => g.Text)));
                }
                else if (field.IsCategorical)
                {
                    builders[field.Name].Add(i, reader, fieldAt[f]);
                }
                else
                {
                    numeric[field.Name][i] = NumberOrNaN(reader, fieldAt[f]);
                }
            }
            i++;
        }
        if (i != count)
        {
            throw new InvalidOperationException($"run {runId} lost samples while its map was read; reload the page");
        }
        var categorical = builders.ToDictionary(b => b.Key, b => b.Value.Build(), StringComparer.Ordinal);
        return new MapPoints(runId, sampleIndex, umapX, umapY, pcaX, pcaY, question, gold, prediction, categorical, numeric);
    }

    private static int SampleCount(SqliteConnection connection, long runId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM samples WHERE run_id = $run";
        command.Parameters.AddWithValue("$run", runId);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static double NumberOrNaN(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    /// <summary>Interns a categorical column's values as codes, then renumbers them most frequent first.</summary>
    private sealed class CategoryBuilder(MapField field, int count)
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];
        private readonly List<int> _counts = [];
        private readonly int[] _pointCodes = new int[count];

        public void Add(int point, SqliteDataReader reader, int ordinal)
        {
            Add(point, reader.IsDBNull(ordinal) ? MapFields.Missing
                : field.IsBoolean ? (reader.GetInt64(ordinal) != 0 ? MapFields.Yes : MapFields.No)
                : reader.GetValue(ordinal) is string text ? text
                : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? MapFields.Missing);
        }

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
