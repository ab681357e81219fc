using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Exploration;

/// <summary>Count, exact match and F1 (percent, as the official metric) and mean loss of a set of samples.</summary>
public sealed record SelectionSummary(int Count, double ExactMatch, double F1, double MeanLoss)
{
    /// <summary>The aggregates of the points at <paramref name="positions"/> of <paramref name="points"/>; NaN metrics when empty.</summary>
    public static SelectionSummary Of(MapPoints points, IReadOnlyCollection<int> positions)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            return new SelectionSummary(0, double.NaN, double.NaN, double.NaN);
        }
        var exact = points.Categorical(MapFields.Get(SampleColumns.ExactMatch));
        var f1 = points.Numeric(MapFields.Get("f1"));
        var loss = points.Numeric(MapFields.Get(SampleColumns.Loss));
        double exactSum = 0, f1Sum = 0, lossSum = 0;
        foreach (var p in positions)
        {
            exactSum += exact.ValueAt(p) == MapFields.Yes ? 1 : 0;
            f1Sum += f1[p];
            lossSum += loss[p];
        }
        return new SelectionSummary(positions.Count, 100 * exactSum / positions.Count, 100 * f1Sum / positions.Count, lossSum / positions.Count);
    }
}

/// <summary>Which visible points a box or lasso drawn on the map encloses, computed from the coordinates the server
/// already holds, so the browser sends only the shape.</summary>
public static class MapSelection
{
    /// <summary>Which points are on screen: not filtered out (<see cref="MapStyle.Hidden"/>) and not in a legend entry
    /// the user switched off (<paramref name="hiddenEntries"/>, legend entry codes).</summary>
    public static bool[] Visible(byte[] codes, IReadOnlyCollection<int> hiddenEntries)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(hiddenEntries);
        var hidden = new bool[256];
        hidden[MapStyle.Hidden] = true;
        foreach (var entry in hiddenEntries)
        {
            if (entry is >= 0 and < 256)
            {
                hidden[entry] = true;
            }
        }
        return [.. codes.Select(code => !hidden[code])];
    }

    /// <summary>Visible points with x in [x0, x1] and y in [y0, y1] (bounds in either order).</summary>
    public static int[] InBox(double[] x, double[] y, bool[] visible, double x0, double x1, double y0, double y1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(visible);
        var (left, right) = (Math.Min(x0, x1), Math.Max(x0, x1));
        var (bottom, top) = (Math.Min(y0, y1), Math.Max(y0, y1));
        var inside = new List<int>();
        for (var i = 0; i < x.Length; i++)
        {
            if (visible[i] && x[i] >= left && x[i] <= right && y[i] >= bottom && y[i] <= top)
            {
                inside.Add(i);
            }
        }
        return [.. inside];
    }

    /// <summary>Visible points inside the closed polygon (<paramref name="polygonX"/>, <paramref name="polygonY"/>) by the
    /// even-odd rule, as Plotly's lasso selects.</summary>
    public static int[] InLasso(double[] x, double[] y, bool[] visible, IReadOnlyList<double> polygonX, IReadOnlyList<double> polygonY)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(visible);
        ArgumentNullException.ThrowIfNull(polygonX);
        ArgumentNullException.ThrowIfNull(polygonY);
        if (polygonX.Count != polygonY.Count)
        {
            throw new ArgumentException("the lasso's x and y lists differ in length", nameof(polygonY));
        }
        if (polygonX.Count < 3)
        {
            return [];
        }
        var inside = new List<int>();
        for (var i = 0; i < x.Length; i++)
        {
            if (visible[i] && !double.IsNaN(x[i]) && !double.IsNaN(y[i]) && Contains(polygonX, polygonY, x[i], y[i]))
            {
                inside.Add(i);
            }
        }
        return [.. inside];
    }

    private static bool Contains(IReadOnlyList<double> px, IReadOnlyList<double> py, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = px.Count - 1; i < px.Count; j = i++)
        {
            if ((py[i] > y) != (py[j] > y) && x < (px[j] - px[i]) * (y - py[i]) / (py[j] - py[i]) + px[i])
            {
                inside = !inside;
            }
        }
        return inside;
    }
}
