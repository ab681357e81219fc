namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// The <c>capacity</c> nearest candidates seen so far, ranked by key (smaller is nearer) and then by index, kept as a
/// binary heap whose root is the farthest kept candidate, so that the common case (a candidate farther than all
/// kept ones) costs one comparison. The ranking is a total order, so the kept set does not depend on the order of
/// the offers: partial heaps filled on several threads merge into the same result.
/// </summary>
internal sealed class TopK
{
    private readonly float[] _keys;
    private readonly int[] _indices;

    public TopK(int capacity)
    {
        _keys = new float[capacity];
        _indices = new int[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _indices.Length;

    /// <summary>Candidates above this key cannot enter; equal ones may, if their index is lower.</summary>
    public float Threshold => Capacity == 0 ? float.NegativeInfinity
        : Count < Capacity ? float.PositiveInfinity : _keys[0];

    /// <summary>Whether (key, index) ranks before (otherKey, otherIndex): nearer first, lower index among equals.</summary>
    public static bool Precedes(float key, int index, float otherKey, int otherIndex) =>
        key < otherKey || (key == otherKey && index < otherIndex);

    public void Offer(float key, int index)
    {
        if (Count < Capacity)
        {
            _keys[Count] = key;
            _indices[Count] = index;
            SiftUp(Count++);
        }
        else if (Capacity > 0 && Precedes(key, index, _keys[0], _indices[0]))
        {
            _keys[0] = key;
            _indices[0] = index;
            SiftDown(0);
        }
    }

    public void OfferAll(TopK other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Offer(other._keys[i], other._indices[i]);
        }
    }

    /// <summary>Writes the kept candidates nearest first; both spans hold <see cref="Count"/> entries.</summary>
    public void CopySortedTo(Span<int> indices, Span<float> keys)
    {
        for (var i = 0; i < Count; i++)
        {
            indices[i] = _indices[i];
            keys[i] = _keys[i];
        }
        // Insertion sort: k is small (tens), and the ranking is total, so equal keys come out by index.
        var order = keys[..Count];
        var items = indices[..Count];
        for (var i = 1; i < Count; i++)
        {
            var key = order[i];
            var index = items[i];
            var position = i;
            while (position > 0 && Precedes(key, index, order[position - 1], items[position - 1]))
            {
                order[position] = order[position - 1];
                items[position] = items[position - 1];
                position--;
            }
            order[position] = key;
            items[position] = index;
        }
    }

    // Heap order: a parent ranks after (is farther than) its children.
    private bool Farther(int a, int b) => Precedes(_keys[b], _indices[b], _keys[a], _indices[a]);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Farther(i, parent))
            {
                return;
            }
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= Count)
            {
                return;
            }
            var farthest = left + 1 < Count && Farther(left + 1, left) ? left + 1 : left;
            if (!Farther(farthest, i))
            {
                return;
            }
            Swap(i, farthest);
            i = farthest;
        }
    }

    private void Swap(int a, int b)
    {
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
        (_indices[a], _indices[b]) = (_indices[b], _indices[a]);
    }
}
