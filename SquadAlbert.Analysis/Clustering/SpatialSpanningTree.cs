using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Clustering;

/// <summary>
/// The mutual-reachability minimum spanning tree of low-dimensional rows without the dense O(n²) pass: a k-d tree
/// gives the core distances (k nearest neighbours) and the core balls, Borůvka's algorithm on the tree gives a
/// minimum spanning tree, and Prim's algorithm (the dense pass's exact rules) replayed on the sparse graph of that
/// tree plus the core-ball edges gives the dense pass's own tree, edge for edge.
/// </summary>
/// <remarks>
/// <para>Keys are computed exactly as <see cref="Neighbours.ExactNeighbours"/> computes them (Σ fused
/// multiply-adds of the rounded differences, in component order), so core distances and edge weights are the same
/// floats as the dense path's. A box is pruned only when its lower bound, shrunk by a margin larger than the
/// key's rounding error, still exceeds the best candidate, so pruning never loses an exact candidate.</para>
/// <para>Why the replay is exact: an edge (a, b) that ever attains the minimum cut in Prim's algorithm weighs as
/// much as the minimax path between a and b, and such an edge is either a core-ball edge (‖a − b‖ within the larger
/// core distance, weight = that core distance) or, barring exact float ties between different pairs of points, an
/// edge of every minimum spanning tree. Edges between copies of the endpoints of a tree edge (exact duplicate
/// points) are added too. With those edges Prim's selections (smallest weight, then lowest row) and the row that
/// first reached each new row are the same as on the complete graph.</para>
/// </remarks>
internal sealed class SpatialSpanningTree
{
    private const int LeafSize = 16;

    private readonly int _n;
    private readonly int _d;
    private readonly float[] _points; // rows in tree order, row-major
    private readonly int[] _row; // tree position -> row
    private readonly float _margin; // a box bound is multiplied by this before it may prune

    // Nodes: [start, end) positions; left child, right child (−1 for a leaf); box lo/hi per component.
    private readonly List<int> _start = [];
    private readonly List<int> _end = [];
    private readonly List<int> _left = [];
    private readonly List<int> _right = [];
    private readonly List<float> _lo = [];
    private readonly List<float> _hi = [];
    private int[] _nodeStart = [];
    private int[] _nodeEnd = [];
    private int[] _nodeLeft = [];
    private int[] _nodeRight = [];
    private float[] _boxLo = [];
    private float[] _boxHi = [];

    public SpatialSpanningTree(RowMatrix data)
    {
        _n = data.Rows;
        _d = data.Columns;
        // Each key is d + 1 roundings of relative size 2⁻²⁴ on non-negative terms; 4× that is ample.
        _margin = 1f - ((_d + 2) * 4 * MathF.Pow(2, -24));
        _row = Enumerable.Range(0, _n).ToArray();
        Build(data, 0, _n);
        _nodeStart = [.. _start];
        _nodeEnd = [.. _end];
        _nodeLeft = [.. _left];
        _nodeRight = [.. _right];
        _boxLo = [.. _lo];
        _boxHi = [.. _hi];
        _points = new float[_n * _d];
        for (var p = 0; p < _n; p++)
        {
            data.Row(_row[p]).CopyTo(_points.AsSpan(p * _d, _d));
        }
    }

    private int NodeCount => _nodeStart.Length;

    private int Build(RowMatrix data, int start, int end)
    {
        var node = _start.Count;
        _start.Add(start);
        _end.Add(end);
        _left.Add(-1);
        _right.Add(-1);
        var widest = 0;
        var width = -1f;
        for (var c = 0; c < _d; c++)
        {
            var lo = float.PositiveInfinity;
            var hi = float.NegativeInfinity;
            for (var p = start; p < end; p++)
            {
                var value = data.Values[(_row[p] * _d) + c];
                lo = Math.Min(lo, value);
                hi = Math.Max(hi, value);
            }
            _lo.Add(lo);
            _hi.Add(hi);
            if (hi - lo > width)
            {
                width = hi - lo;
                widest = c;
            }
        }
        if (end - start <= LeafSize || width <= 0)
        {
            return node;
        }
        var middle = (start + end) / 2;
        Select(data, start, end - 1, middle, widest);
        _left[node] = Build(data, start, middle);
        _right[node] = Build(data, middle, end);
        return node;
    }

    /// <summary>Quickselect: puts the row with the <paramref name="nth"/> smallest component at nth.</summary>
    private void Select(RowMatrix data, int lo, int hi, int nth, int component)
    {
        var values = data.Values;
        float Value(int p) => values[(_row[p] * _d) + component];
        while (lo < hi)
        {
            var pivot = Value((lo + hi) >>> 1);
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (Value(i) < pivot)
                {
                    i++;
                }
                while (Value(j) > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (_row[i], _row[j]) = (_row[j], _row[i]);
                    i++;
                    j--;
                }
            }
            if (nth <= j)
            {
                hi = j;
            }
            else if (nth >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>The engine's key of tree positions p and q.</summary>
    private float Key(int p, int q)
    {
        var points = _points;
        var a = p * _d;
        var b = q * _d;
        var sum = 0f;
        for (var c = 0; c < _d; c++)
        {
            var difference = points[a + c] - points[b + c];
            sum = MathF.FusedMultiplyAdd(difference, difference, sum);
        }
        return sum;
    }

    /// <summary>A lower bound of the key from position p to any row in the node's box, shrunk by the margin.</summary>
    private float BoxBound(int p, int node)
    {
        var sum = 0.0;
        var offset = node * _d;
        for (var c = 0; c < _d; c++)
        {
            double x = _points[(p * _d) + c];
            var gap = Math.Max(Math.Max(_boxLo[offset + c] - x, x - _boxHi[offset + c]), 0);
            sum += gap * gap;
        }
        return (float)sum * _margin;
    }

    /// <summary>
    /// The squared core distance of every row (the key of its (k − 1)-th nearest other row, 0 for k = 1), and
    /// for each row the other rows within it (ties included): the core-ball edges.
    /// </summary>
    public (float[] SquaredCore, int[][] Balls) CoreDistances(int k)
    {
        var coreByPosition = new float[_n];
        var balls = new int[_n][];
        var others = Math.Min(k - 1, _n - 1);
        Parallel.For(0, (_n + 255) / 256, chunk =>
        {
            var heap = new float[Math.Max(1, others)];
            var ball = new List<int>();
            for (var p = chunk * 256; p < Math.Min(_n, (chunk + 1) * 256); p++)
            {
                var core = 0f;
                if (others > 0)
                {
                    var size = 0;
                    Nearest(p, 0, heap, ref size);
                    core = heap[0];
                }
                coreByPosition[p] = core;
                ball.Clear();
                Ball(p, 0, core, ball);
                balls[p] = [.. ball];
            }
        });
        var squaredCore = new float[_n];
        var rowBalls = new int[_n][];
        for (var p = 0; p < _n; p++)
        {
            squaredCore[_row[p]] = coreByPosition[p];
            var ball = balls[p];
            for (var i = 0; i < ball.Length; i++)
            {
                ball[i] = _row[ball[i]];
            }
            rowBalls[_row[p]] = ball;
        }
        return (squaredCore, rowBalls);
    }

    /// <summary>The smallest keys from p to other positions, in a max-heap of the heap's capacity.</summary>
    private void Nearest(int p, int node, float[] heap, ref int size)
    {
        if (size == heap.Length && BoxBound(p, node) > heap[0])
        {
            return;
        }
        var left = _nodeLeft[node];
        if (left < 0)
        {
            for (var q = _nodeStart[node]; q < _nodeEnd[node]; q++)
            {
                if (q == p)
                {
                    continue;
                }
                var key = Key(p, q);
                if (size < heap.Length)
                {
                    heap[size++] = key;
                    SiftUp(heap, size - 1);
                }
                else if (key < heap[0])
                {
                    heap[0] = key;
                    SiftDown(heap, size);
                }
            }
            return;
        }
        var right = _nodeRight[node];
        if (BoxBound(p, left) <= BoxBound(p, right))
        {
            Nearest(p, left, heap, ref size);
            Nearest(p, right, heap, ref size);
        }
        else
        {
            Nearest(p, right, heap, ref size);
            Nearest(p, left, heap, ref size);
        }
    }

    private static void SiftUp(float[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (heap[parent] >= heap[i])
            {
                return;
            }
            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(float[] heap, int size)
    {
        var i = 0;
        while (true)
        {
            var largest = i;
            var l = (2 * i) + 1;
            var r = l + 1;
            if (l < size && heap[l] > heap[largest])
            {
                largest = l;
            }
            if (r < size && heap[r] > heap[largest])
            {
                largest = r;
            }
            if (largest == i)
            {
                return;
            }
            (heap[largest], heap[i]) = (heap[i], heap[largest]);
            i = largest;
        }
    }

    /// <summary>Positions other than p whose key from p is at most <paramref name="radius"/>.</summary>
    private void Ball(int p, int node, float radius, List<int> found)
    {
        if (BoxBound(p, node) > radius)
        {
            return;
        }
        var left = _nodeLeft[node];
        if (left < 0)
        {
            for (var q = _nodeStart[node]; q < _nodeEnd[node]; q++)
            {
                if (q != p && Key(p, q) <= radius)
                {
                    found.Add(q);
                }
            }
            return;
        }
        Ball(p, left, radius, found);
        Ball(p, _nodeRight[node], radius, found);
    }

    /// <summary>
    /// Borůvka's algorithm: every round, each component's lightest outgoing edge (weight, then lower row, then
    /// higher row, a total order) by one pruned nearest-neighbour query per row, in parallel over row ranges.
    /// </summary>
    public List<(int A, int B)> Boruvka(float[] squaredCore)
    {
        var core = new float[_n]; // by position
        for (var p = 0; p < _n; p++)
        {
            core[p] = squaredCore[_row[p]];
        }
        var minCore = new float[NodeCount];
        for (var node = NodeCount - 1; node >= 0; node--)
        {
            // Children have larger ids than their parent.
            var left = _nodeLeft[node];
            if (left < 0)
            {
                var m = float.PositiveInfinity;
                for (var p = _nodeStart[node]; p < _nodeEnd[node]; p++)
                {
                    m = Math.Min(m, core[p]);
                }
                minCore[node] = m;
            }
            else
            {
                minCore[node] = Math.Min(minCore[left], minCore[_nodeRight[node]]);
            }
        }
        var parent = Enumerable.Range(0, _n).ToArray(); // union-find over positions
        var component = new int[_n];
        var nodeComponent = new int[NodeCount];
        var edges = new List<(int A, int B)>(_n - 1);
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, _n / 1024));
        var best = Enumerable.Range(0, workers).Select(_ => new Candidate[_n]).ToArray();
        while (edges.Count < _n - 1)
        {
            for (var p = 0; p < _n; p++)
            {
                component[p] = Find(parent, p);
            }
            for (var node = NodeCount - 1; node >= 0; node--)
            {
                var left = _nodeLeft[node];
                if (left < 0)
                {
                    var c = component[_nodeStart[node]];
                    for (var p = _nodeStart[node] + 1; p < _nodeEnd[node] && c >= 0; p++)
                    {
                        if (component[p] != c)
                        {
                            c = -1;
                        }
                    }
                    nodeComponent[node] = c;
                }
                else
                {
                    var c = nodeComponent[left];
                    nodeComponent[node] = c == nodeComponent[_nodeRight[node]] ? c : -1;
                }
            }
            Parallel.For(0, workers, worker =>
            {
                var mine = best[worker];
                Array.Fill(mine, Candidate.None);
                var from = (int)((long)worker * _n / workers);
                var to = (int)((long)(worker + 1) * _n / workers);
                var query = new Query(this, core, minCore, component, nodeComponent);
                for (var p = from; p < to; p++)
                {
                    var c = component[p];
                    if (core[p] > mine[c].Weight)
                    {
                        continue; // every edge from p weighs at least its core distance
                    }
                    query.Run(p, ref mine[c]);
                }
            });
            var merged = best[0];
            for (var w = 1; w < workers; w++)
            {
                for (var c = 0; c < _n; c++)
                {
                    if (best[w][c].Before(merged[c]))
                    {
                        merged[c] = best[w][c];
                    }
                }
            }
            for (var c = 0; c < _n; c++)
            {
                var edge = merged[c];
                if (component[c] != c || edge.A < 0)
                {
                    continue;
                }
                var a = Find(parent, edge.A);
                var b = Find(parent, edge.B);
                if (a != b)
                {
                    parent[Math.Max(a, b)] = Math.Min(a, b);
                    edges.Add((_row[edge.A], _row[edge.B]));
                }
            }
        }
        return edges;
    }

    private static int Find(int[] parent, int x)
    {
        var root = x;
        while (parent[root] != root)
        {
            root = parent[root];
        }
        while (parent[x] != root)
        {
            (parent[x], x) = (root, parent[x]);
        }
        return root;
    }

    /// <summary>A candidate edge between positions, ordered by weight, then lower row, then higher row.</summary>
    private readonly record struct Candidate(float Weight, int Low, int High, int A, int B)
    {
        public static Candidate None => new(float.PositiveInfinity, int.MaxValue, int.MaxValue, -1, -1);

        public bool Before(Candidate other) =>
            Weight < other.Weight || (Weight == other.Weight && (Low < other.Low || (Low == other.Low && High < other.High)));
    }

    /// <summary>The lightest edge from one position to another component, pruned by boxes, cores and components.</summary>
    private readonly struct Query(SpatialSpanningTree tree, float[] core, float[] minCore, int[] component, int[] nodeComponent)
    {
        public void Run(int p, ref Candidate best) => Visit(p, 0, ref best);

        private void Visit(int p, int node, ref Candidate best)
        {
            var c = component[p];
            if (nodeComponent[node] == c)
            {
                return;
            }
            var bound = Math.Max(Math.Max(core[p], minCore[node]), tree.BoxBound(p, node));
            if (bound > best.Weight)
            {
                return;
            }
            var left = tree._nodeLeft[node];
            if (left < 0)
            {
                var row = tree._row;
                for (var q = tree._nodeStart[node]; q < tree._nodeEnd[node]; q++)
                {
                    if (component[q] == c)
                    {
                        continue;
                    }
                    var weight = Math.Max(Math.Max(core[p], core[q]), tree.Key(p, q));
                    if (weight > best.Weight)
                    {
                        continue;
                    }
                    var candidate = new Candidate(weight, Math.Min(row[p], row[q]), Math.Max(row[p], row[q]), p, q);
                    if (candidate.Before(best))
                    {
                        best = candidate;
                    }
                }
                return;
            }
            var right = tree._nodeRight[node];
            if (tree.BoxBound(p, left) <= tree.BoxBound(p, right))
            {
                Visit(p, left, ref best);
                Visit(p, right, ref best);
            }
            else
            {
                Visit(p, right, ref best);
                Visit(p, left, ref best);
            }
        }
    }

    /// <summary>
    /// Prim's algorithm from row 0 with the dense pass's rules (the lightest row joins next, the lowest index among
    /// equals; a row keeps the first tree row that reached it at its weight) on the sparse graph of the spanning
    /// tree's edges, the core-ball edges and the edges between copies of a tree edge's endpoints.
    /// </summary>
    public SpanningEdge[] ReplayPrim(float[] squaredCore, int[][] balls, List<(int A, int B)> tree, RowMatrix data)
    {
        var n = _n;
        var copies = new int[n][];
        for (var r = 0; r < n; r++)
        {
            var copiesOfRow = new List<int>();
            foreach (var o in balls[r])
            {
                if (data.Row(o).SequenceEqual(data.Row(r)))
                {
                    copiesOfRow.Add(o);
                }
            }
            copies[r] = [.. copiesOfRow];
        }
        var degree = new int[n + 1];
        void Count(int a, int b)
        {
            degree[a]++;
            degree[b]++;
        }
        for (var r = 0; r < n; r++)
        {
            foreach (var o in balls[r])
            {
                Count(r, o);
            }
        }
        foreach (var (a, b) in tree)
        {
            Count(a, b);
            foreach (var a2 in copies[a].Append(a))
            {
                foreach (var b2 in copies[b].Append(b))
                {
                    if (a2 != a || b2 != b)
                    {
                        Count(a2, b2);
                    }
                }
            }
        }
        var offsets = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            offsets[r + 1] = offsets[r] + degree[r];
        }
        var fill = offsets[..n];
        var adjacency = new int[offsets[n]];
        void Add(int a, int b)
        {
            adjacency[fill[a]++] = b;
            adjacency[fill[b]++] = a;
        }
        for (var r = 0; r < n; r++)
        {
            foreach (var o in balls[r])
            {
                Add(r, o);
            }
        }
        foreach (var (a, b) in tree)
        {
            Add(a, b);
            foreach (var a2 in copies[a].Append(a))
            {
                foreach (var b2 in copies[b].Append(b))
                {
                    if (a2 != a || b2 != b)
                    {
                        Add(a2, b2);
                    }
                }
            }
        }

        var inTree = new bool[n];
        var nearest = new float[n];
        var nearestFrom = new int[n];
        Array.Fill(nearest, float.PositiveInfinity);
        var queue = new PriorityQueue<int, (float Weight, int Row)>();
        var edges = new SpanningEdge[n - 1];
        var current = 0;
        inTree[0] = true;
        for (var added = 0; added < n - 1; added++)
        {
            var from = current;
            for (var i = offsets[from]; i < offsets[from + 1]; i++)
            {
                var j = adjacency[i];
                if (inTree[j])
                {
                    continue;
                }
                var reach = Math.Max(Math.Max(squaredCore[from], squaredCore[j]), KeyOfRows(data, from, j));
                if (reach < nearest[j])
                {
                    nearest[j] = reach;
                    nearestFrom[j] = from;
                    queue.Enqueue(j, (reach, j));
                }
            }
            int next;
            do
            {
                next = queue.Dequeue();
            }
            while (inTree[next]);
            inTree[next] = true;
            edges[added] = new SpanningEdge(nearestFrom[next], next, Math.Sqrt(nearest[next]));
            current = next;
        }
        return edges;
    }

    private static float KeyOfRows(RowMatrix data, int a, int b)
    {
        var x = data.Row(a);
        var y = data.Row(b);
        var sum = 0f;
        for (var c = 0; c < x.Length; c++)
        {
            var difference = x[c] - y[c];
            sum = MathF.FusedMultiplyAdd(difference, difference, sum);
        }
        return sum;
    }
}
