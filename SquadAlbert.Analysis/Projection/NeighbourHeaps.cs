namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// NN-descent's candidate pool: one bounded max-heap per point (root = farthest kept neighbour), in flat arrays,
/// with the "new since the last join" flag of each entry, a duplicate check and striped locks for offers from
/// several threads. Offering a candidate keeps the k smallest of everything offered so far, whatever the order of
/// the offers (ties aside). Exact searches use <see cref="Neighbours.ExactNeighbours"/> and its top-k instead.
/// </summary>
internal sealed class NeighbourHeaps
{
    private readonly Lock[] _stripes;

    public NeighbourHeaps(int pointCount, int size)
    {
        PointCount = pointCount;
        Size = size;
        Indices = new int[pointCount * size];
        Keys = new float[pointCount * size];
        IsNew = new bool[pointCount * size];
        Array.Fill(Indices, -1);
        Array.Fill(Keys, float.PositiveInfinity);
        _stripes = new Lock[Math.Min(4096, Math.Max(1, pointCount))];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    public int PointCount { get; }

    public int Size { get; }

    public int[] Indices { get; }

    public float[] Keys { get; }

    /// <summary>NN-descent's flag: the entry arrived since the point last joined its candidates.</summary>
    public bool[] IsNew { get; }

    /// <summary>The farthest key kept for <paramref name="point"/>; a racy read is fine as a pre-filter.</summary>
    public float Worst(int point) => Keys[point * Size];

    /// <summary>Makes every point its own first neighbour, as umap-learn's graphs have it; the key sorts before any distance.</summary>
    public void OfferSelves()
    {
        for (var point = 0; point < PointCount; point++)
        {
            Offer(point, point, float.NegativeInfinity, isNew: false);
        }
    }

    /// <summary>Offers a neighbour; returns whether it was kept.</summary>
    public bool Offer(int point, int neighbour, float key, bool isNew = true)
    {
        var offset = point * Size;
        if (key >= Keys[offset])
        {
            return false;
        }
        for (var i = 0; i < Size; i++)
        {
            if (Indices[offset + i] == neighbour)
            {
                return false;
            }
        }
        // Replace the root and sift down.
        var position = 0;
        while (true)
        {
            var left = (2 * position) + 1;
            var right = left + 1;
            if (left >= Size)
            {
                break;
            }
            var larger = right < Size && Keys[offset + right] > Keys[offset + left] ? right : left;
            if (Keys[offset + larger] <= key)
            {
                break;
            }
            Indices[offset + position] = Indices[offset + larger];
            Keys[offset + position] = Keys[offset + larger];
            IsNew[offset + position] = IsNew[offset + larger];
            position = larger;
        }
        Indices[offset + position] = neighbour;
        Keys[offset + position] = key;
        IsNew[offset + position] = isNew;
        return true;
    }

    public bool OfferLocked(int point, int neighbour, float key)
    {
        if (key >= Worst(point))
        {
            return false;
        }
        lock (_stripes[point % _stripes.Length])
        {
            return Offer(point, neighbour, key);
        }
    }

    /// <summary>Sorts every heap ascending and converts keys to distances.</summary>
    public KnnGraph ToGraph(Func<float, float> toDistance)
    {
        var indices = new int[PointCount * Size];
        var distances = new float[PointCount * Size];
        var order = new int[Size];
        for (var point = 0; point < PointCount; point++)
        {
            var offset = point * Size;
            for (var i = 0; i < Size; i++)
            {
                order[i] = i;
            }
            var keys = Keys;
            var ids = Indices;
            // Distance first, index second: a deterministic order for ties.
            Array.Sort(order, (a, b) =>
            {
                var byKey = keys[offset + a].CompareTo(keys[offset + b]);
                return byKey != 0 ? byKey : ids[offset + a].CompareTo(ids[offset + b]);
            });
            for (var i = 0; i < Size; i++)
            {
                var source = offset + order[i];
                indices[offset + i] = Indices[source];
                distances[offset + i] = Indices[source] switch
                {
                    < 0 => float.PositiveInfinity,
                    var neighbour when neighbour == point => 0f,
                    _ => toDistance(Keys[source]),
                };
            }
        }
        return new KnnGraph(indices, distances, PointCount, Size);
    }
}
