using SquadAlbert.Analysis.Exploration;

namespace SquadAlbert.Dashboard.Features.Map;

/// <summary>A sample as the map's tables list it.</summary>
public sealed record MapSampleRow(int SampleIndex, string Question, string Gold, string Prediction, bool ExactMatch, double F1, double Loss)
{
    /// <summary>The rows of the points at <paramref name="positions"/>, in that order.</summary>
    public static IReadOnlyList<MapSampleRow> Of(MapPoints points, IEnumerable<int> positions)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(positions);
        var exact = points.Categorical(MapFields.Get("exact_match"));
        var f1 = points.Numeric(MapFields.Get("f1"));
        var loss = points.Numeric(MapFields.Get("loss"));
        return [.. positions.Select(p => new MapSampleRow(
            points.SampleIndex[p], points.Question[p], points.Gold[p], points.Prediction[p], exact.ValueAt(p) == MapFields.Yes, f1[p], loss[p]))];
    }
}
