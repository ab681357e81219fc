using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>An edge of the minimum spanning tree: two rows and their mutual-reachability distance.</summary>
internal readonly record struct SpanningEdge(int A, int B, double Distance);

/// <summary>
/// The mutual-reachability space of HDBSCAN: d_mreach(a, b) = max(core(a), core(b), ‖a − b‖), where core(x) is
/// the distance from x to its k-th nearest row counting x itself. Squared distances are compared throughout (the
/// maximum and the ordering are the same), and square roots taken only for the tree's edges.
/// </summary>
internal sealed class MutualReachability
{
    private const int ParallelThreshold = 2048; // below this, a parallel step costs more than it saves

    private readonly RowMatrix _data;
    private readonly int _n;
    private readonly float[] _squaredCore;

    public MutualReachability(RowMatrix data, int k)
    {
        _data = data;
        _n = data.Rows;
        _squaredCore = new float[_n];
        For(0, _n, i =>
        {
            // The k smallest squared distances seen so far, ascending; the row itself contributes the 0.
            Span<float> smallest = stackalloc float[k];
            smallest.Fill(float.PositiveInfinity);
            var row = Row(i);
            for (var j = 0; j < _n; j++)
            {
                var distance = VectorMath.SquaredEuclidean(row, Row(j));
                if (distance >= smallest[k - 1])
                {
                    continue;
                }
                var position = k - 1;
                while (position > 0 && smallest[position - 1] > distance)
                {
                    smallest[position] = smallest[position - 1];
                    position--;
                }
                smallest[position] = distance;
            }
            _squaredCore[i] = smallest[k - 1];
        });
    }

    private ReadOnlySpan<float> Row(int i) => _data.Row(i);

    /// <summary>
    /// Prim's algorithm on the complete mutual-reachability graph, O(n²) distance evaluations. Among equally
    /// close rows the lowest index joins first, and a row keeps the first tree row that reached it at its distance.
    /// </summary>
    public SpanningEdge[] MinimumSpanningTree()
    {
        var inTree = new bool[_n];
        var nearest = new float[_n];
        var nearestFrom = new int[_n];
        Array.Fill(nearest, float.PositiveInfinity);
        var edges = new SpanningEdge[_n - 1];
        var chunks = _n >= ParallelThreshold ? Environment.ProcessorCount * 4 : 1;
        var chunkBest = new int[chunks];
        var current = 0;
        inTree[0] = true;
        for (var added = 0; added < _n - 1; added++)
        {
            var from = current;
            var fromCore = _squaredCore[from];
            ForChunks(chunks, (chunk, start, end) =>
            {
                var best = -1;
                for (var j = start; j < end; j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }
                    var reach = Math.Max(Math.Max(fromCore, _squaredCore[j]), VectorMath.SquaredEuclidean(Row(from), Row(j)));
                    if (reach < nearest[j])
                    {
                        nearest[j] = reach;
                        nearestFrom[j] = from;
                    }
                    if (best < 0 || nearest[j] < nearest[best])
                    {
                        best = j;
                    }
                }
                chunkBest[chunk] = best;
            });
            var next = -1;
            foreach (var candidate in chunkBest)
            {
                // Chunks are in index order, so a strict comparison keeps the lowest index among ties.
                if (candidate >= 0 && (next < 0 || nearest[candidate] < nearest[next]))
                {
                    next = candidate;
                }
            }
            inTree[next] = true;
            edges[added] = new SpanningEdge(nearestFrom[next], next, Math.Sqrt(nearest[next]));
            current = next;
        }
        return edges;
    }

    private void For(int start, int end, Action<int> body)
    {
        if (_n >= ParallelThreshold)
        {
            Parallel.For(start, end, body);
        }
        else
        {
            for (var i = start; i < end; i++)
            {
                body(i);
            }
        }
    }

    private void ForChunks(int chunks, Action<int, int, int> body)
    {
        if (chunks == 1)
        {
            body(0, 0, _n);
            return;
        }
        Parallel.For(0, chunks, chunk => body(chunk, (int)((long)chunk * _n / chunks), (int)((long)(chunk + 1) * _n / chunks)));
    }
}
