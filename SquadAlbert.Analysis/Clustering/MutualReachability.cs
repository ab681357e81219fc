using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>An edge of the minimum spanning tree: two rows and their mutual-reachability distance.</summary>
internal readonly record struct SpanningEdge(int A, int B, double Distance);

/// <summary>How the mutual-reachability minimum spanning tree is built; both give the same tree.</summary>
internal enum SpanningTreeMethod
{
    /// <summary>The spatial path for low dimension and enough rows, else dense.</summary>
    Auto,

    /// <summary>Prim's algorithm on the complete graph, O(n²·d).</summary>
    Dense,

    /// <summary>k-d tree core distances, Borůvka and a sparse Prim replay (<see cref="SpatialSpanningTree"/>).</summary>
    Spatial,
}

/// <summary>
/// The mutual-reachability space of HDBSCAN: d_mreach(a, b) = max(core(a), core(b), ‖a − b‖), where core(x) is
/// the distance from x to its k-th nearest row counting x itself. Squared distances are compared throughout (the
/// maximum and the ordering are the same), and square roots taken only for the tree's edges. Every squared
/// distance, core or edge, comes from the shared engine's key (<see cref="ExactNeighbours"/>), so a core distance
/// and the edge to the neighbour that defines it are the same number.
/// </summary>
internal sealed class MutualReachability
{
    private const int ParallelThreshold = 2048; // below this, a parallel step costs more than it saves

    private readonly ExactNeighbours _search;
    private readonly int _n;
    private readonly float[] _squaredCore;

    public MutualReachability(RowMatrix data, int k)
    {
        _search = new ExactNeighbours(data, DistanceMetric.Euclidean);
        _n = data.Rows;
        _squaredCore = new float[_n];
        if (k > 1)
        {
            // The row itself is the nearest at 0, so the k-th counting it is the (k − 1)-th other row.
            var others = _search.SearchAll(k - 1, parallel: _n >= ParallelThreshold);
            for (var i = 0; i < _n; i++)
            {
                _squaredCore[i] = others.KeysOf(i)[^1];
            }
        }
    }

    /// <summary>Largest dimension for which <see cref="SpanningTreeMethod.Auto"/> takes the spatial path.</summary>
    public const int SpatialMaxDimension = 4;

    /// <summary>Fewest rows for which <see cref="SpanningTreeMethod.Auto"/> takes the spatial path.</summary>
    public const int SpatialMinRows = 1024;

    /// <summary>
    /// The minimum spanning tree of the mutual-reachability graph of <paramref name="data"/> with core distances at
    /// the k-th nearest row counting the row itself. Dense and spatial paths return the same edges in the same order
    /// (see <see cref="SpatialSpanningTree"/>).
    /// </summary>
    public static SpanningEdge[] SpanningTree(RowMatrix data, int k, SpanningTreeMethod method = SpanningTreeMethod.Auto)
    {
        if (method == SpanningTreeMethod.Auto)
        {
            method = data.Columns <= SpatialMaxDimension && data.Rows >= SpatialMinRows ? SpanningTreeMethod.Spatial : SpanningTreeMethod.Dense;
        }
        if (method == SpanningTreeMethod.Dense || data.Rows < 2)
        {
            return new MutualReachability(data, k).MinimumSpanningTree();
        }
        var spatial = new SpatialSpanningTree(data);
        var (squaredCore, balls) = spatial.CoreDistances(k);
        var tree = spatial.Boruvka(squaredCore);
        return spatial.ReplayPrim(squaredCore, balls, tree, data);
    }

    /// <summary>Squared core distance of each row.</summary>
    public ReadOnlySpan<float> SquaredCoreDistances => _squaredCore;

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
        var keys = new float[_n];
        var current = 0;
        inTree[0] = true;
        for (var added = 0; added < _n - 1; added++)
        {
            var from = current;
            var fromCore = _squaredCore[from];
            ForChunks(chunks, (chunk, start, end) =>
            {
                _search.KeysFrom(from, start, end, keys.AsSpan(start, end - start));
                var best = -1;
                for (var j = start; j < end; j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }
                    var reach = Math.Max(Math.Max(fromCore, _squaredCore[j]), keys[j]);
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

    /// <summary>Runs <paramref name="body"/> on consecutive index ranges, each starting where the engine's tiles do.</summary>
    private void ForChunks(int chunks, Action<int, int, int> body)
    {
        if (chunks == 1)
        {
            body(0, 0, _n);
            return;
        }
        Parallel.For(0, chunks, chunk => body(chunk, Boundary(chunk, chunks), Boundary(chunk + 1, chunks)));
    }

    private int Boundary(int chunk, int chunks) => chunk == chunks ? _n
        : (int)((long)chunk * _n / chunks / ExactNeighbours.RowAlignment * ExactNeighbours.RowAlignment);
}
