using SquadAlbert.Analysis.Neighbours;

namespace SquadAlbert.Benchmarks.KnnReference;

/// <summary>
/// The knn benchmark's reference: the sample neighbours' heap before the shared engine (<c>TopK</c> at c5e9fc5).
/// The best <c>capacity</c> candidates seen so far, kept as a binary heap whose root is the worst kept candidate,
/// so that the common case (a candidate worse than all kept ones) costs one comparison.
/// </summary>
internal sealed class SimilarityTopK
{
    private readonly float[] _similarities;
    private readonly int[] _indices;

    public SimilarityTopK(int capacity)
    {
        _similarities = new float[capacity];
        _indices = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Higher similarity first, and among equal similarities the lower index first.</summary>
    public static bool Ranks(float similarity, int index, float otherSimilarity, int otherIndex) =>
        similarity > otherSimilarity || (similarity == otherSimilarity && index < otherIndex);

    public int Capacity => _indices.Length;

    /// <summary>Candidates below this similarity cannot enter; equal ones may, if their index is lower.</summary>
    public float Threshold => Capacity == 0 ? float.PositiveInfinity
        : Count < Capacity ? float.NegativeInfinity : _similarities[0];

    public void Offer(float similarity, int index)
    {
        if (Count < Capacity)
        {
            _similarities[Count] = similarity;
            _indices[Count] = index;
            SiftUp(Count++);
        }
        else if (Capacity > 0 && SimilarityTopK.Ranks(similarity, index, _similarities[0], _indices[0]))
        {
            _similarities[0] = similarity;
            _indices[0] = index;
            SiftDown(0);
        }
    }

    public void OfferAll(SimilarityTopK other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Offer(other._similarities[i], other._indices[i]);
        }
    }

    /// <summary>The kept candidates, best first.</summary>
    public Neighbour[] ToSortedArray()
    {
        var result = new Neighbour[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = new Neighbour(_indices[i], _similarities[i]);
        }
        Array.Sort(result, static (a, b) =>
            SimilarityTopK.Ranks(a.Similarity, a.Index, b.Similarity, b.Index) ? -1
            : SimilarityTopK.Ranks(b.Similarity, b.Index, a.Similarity, a.Index) ? 1 : 0);
        return result;
    }

    // Heap order: a parent ranks below (is worse than) its children.
    private bool Worse(int a, int b) => SimilarityTopK.Ranks(_similarities[b], _indices[b], _similarities[a], _indices[a]);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(i, parent))
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
            var worst = left + 1 < Count && Worse(left + 1, left) ? left + 1 : left;
            if (!Worse(worst, i))
            {
                return;
            }
            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_similarities[a], _similarities[b]) = (_similarities[b], _similarities[a]);
        (_indices[a], _indices[b]) = (_indices[b], _indices[a]);
    }
}
