namespace SquadAlbert.Analysis.Clustering;

/// <summary>
/// From the minimum spanning tree to flat clusters: single-linkage dendrogram, condensed tree, cluster
/// stabilities, selection, labels, probabilities and GLOSH scores.
/// </summary>
internal static class HdbscanHierarchy
{
    public static HdbscanResult AllNoise(int count) =>
        new(Enumerable.Repeat(-1, count).ToArray(), new float[count], new float[count], 0, [], [], []);

    public static HdbscanResult Extract(int n, SpanningEdge[] spanningTree, HdbscanOptions options)
    {
        var dendrogram = Dendrogram.SingleLinkage(n, spanningTree);
        var condensed = Condense(dendrogram, options.MinClusterSize);
        var clusterCount = condensed.Max(e => e.ChildIsCluster ? e.Child : 0) + 1;
        var tree = new CondensedClusters(n, clusterCount, condensed);
        var selected = options.Selection == ClusterSelection.ExcessOfMass
            ? tree.SelectExcessOfMass(options.AllowSingleCluster)
            : tree.SelectLeaves(options.AllowSingleCluster);
        return tree.Label(selected, condensed);
    }

    /// <summary>
    /// Walks the dendrogram from the root. A split where both sides have at least minClusterSize points creates
    /// two new clusters; otherwise the small side's points fall out of the current cluster, which carries on as the
    /// large side (or ends, its points falling out, when neither side is large enough).
    /// </summary>
    private static List<CondensedTreeEdge> Condense(Dendrogram dendrogram, int minClusterSize)
    {
        var edges = new List<CondensedTreeEdge>();
        var nextCluster = 1;
        var pending = new Stack<(int Node, int Cluster)>();
        pending.Push((dendrogram.Root, 0));
        while (pending.Count > 0)
        {
            var (node, cluster) = pending.Pop();
            var (left, right) = dendrogram.Children(node);
            var distance = dendrogram.Distance(node);
            var lambda = distance > 0 ? 1 / distance : double.PositiveInfinity;
            var leftLarge = dendrogram.Size(left) >= minClusterSize;
            var rightLarge = dendrogram.Size(right) >= minClusterSize;
            if (leftLarge && rightLarge)
            {
                foreach (var child in new[] { left, right })
                {
                    var childCluster = nextCluster++;
                    edges.Add(new CondensedTreeEdge(cluster, childCluster, true, lambda, dendrogram.Size(child)));
                    pending.Push((child, childCluster));
                }
                continue;
            }
            foreach (var (child, large) in new[] { (left, leftLarge), (right, rightLarge) })
            {
                if (large)
                {
                    pending.Push((child, cluster));
                }
                else
                {
                    edges.AddRange(dendrogram.Points(child).Select(p => new CondensedTreeEdge(cluster, p, false, lambda, 1)));
                }
            }
        }
        return edges;
    }

    /// <summary>Single-linkage dendrogram: leaves 0..n−1 are rows, internal node n + m is the m-th merge.</summary>
    private sealed class Dendrogram
    {
        private readonly int _n;
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly double[] _distance;
        private readonly int[] _size;

        private Dendrogram(int n)
        {
            _n = n;
            _left = new int[n - 1];
            _right = new int[n - 1];
            _distance = new double[n - 1];
            _size = new int[n - 1];
        }

        public int Root => (2 * _n) - 2;

        public static Dendrogram SingleLinkage(int n, SpanningEdge[] spanningTree)
        {
            // Kruskal order on the spanning tree: by distance, equal distances in the order Prim added them.
            var order = Enumerable.Range(0, spanningTree.Length).OrderBy(i => spanningTree[i].Distance).ThenBy(i => i);
            var result = new Dendrogram(n);
            var parent = Enumerable.Range(0, (2 * n) - 1).ToArray(); // union-find over dendrogram nodes
            var merge = 0;
            foreach (var edge in order.Select(i => spanningTree[i]))
            {
                var a = Find(parent, edge.A);
                var b = Find(parent, edge.B);
                var node = n + merge;
                result._left[merge] = a;
                result._right[merge] = b;
                result._distance[merge] = edge.Distance;
                result._size[merge] = result.Size(a) + result.Size(b);
                parent[a] = node;
                parent[b] = node;
                merge++;
            }
            return result;
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

        public int Size(int node) => node < _n ? 1 : _size[node - _n];

        public (int Left, int Right) Children(int node) => (_left[node - _n], _right[node - _n]);

        public double Distance(int node) => _distance[node - _n];

        public IEnumerable<int> Points(int node)
        {
            var pending = new Stack<int>();
            pending.Push(node);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (current < _n)
                {
                    yield return current;
                    continue;
                }
                pending.Push(_right[current - _n]);
                pending.Push(_left[current - _n]);
            }
        }
    }

    /// <summary>The clusters of the condensed tree with their birth, stability and densest λ.</summary>
    private sealed class CondensedClusters
    {
        private readonly int _n;
        private readonly int[] _parent;
        private readonly double[] _stability;
        private readonly double[] _maxLambda; // largest λ at which anything leaves the cluster or its descendants
        private readonly List<int>[] _children;
        private readonly int[] _pointCluster; // cluster each row fell out of
        private readonly double[] _pointLambda;

        public CondensedClusters(int n, int clusterCount, List<CondensedTreeEdge> edges)
        {
            _n = n;
            _parent = new int[clusterCount];
            _parent[0] = -1;
            _stability = new double[clusterCount];
            _maxLambda = new double[clusterCount];
            _children = Enumerable.Range(0, clusterCount).Select(_ => new List<int>()).ToArray();
            _pointCluster = new int[n];
            _pointLambda = new double[n];
            var birth = new double[clusterCount];
            foreach (var edge in edges.Where(e => e.ChildIsCluster))
            {
                _parent[edge.Child] = edge.Parent;
                birth[edge.Child] = edge.Lambda;
                _children[edge.Parent].Add(edge.Child);
            }
            foreach (var edge in edges)
            {
                _stability[edge.Parent] += Persistence(edge.Lambda, birth[edge.Parent]) * edge.ChildSize;
                _maxLambda[edge.Parent] = Math.Max(_maxLambda[edge.Parent], edge.Lambda);
                if (!edge.ChildIsCluster)
                {
                    _pointCluster[edge.Child] = edge.Parent;
                    _pointLambda[edge.Child] = edge.Lambda;
                }
            }
            // Children have larger ids than parents, so descending ids visit every child before its parent.
            for (var c = clusterCount - 1; c > 0; c--)
            {
                _maxLambda[_parent[c]] = Math.Max(_maxLambda[_parent[c]], _maxLambda[c]);
            }
        }

        private int ClusterCount => _parent.Length;

        // λ − λ_birth, with a cluster born at infinite density (coincident points) persisting for 0.
        private static double Persistence(double lambda, double birth) => double.IsPositiveInfinity(birth) ? 0 : lambda - birth;

        /// <summary>
        /// Excess of mass: bottom-up, a cluster is kept when its stability is at least the best total its
        /// descendants can reach; otherwise its descendants' selection stands and it passes their total up.
        /// </summary>
        public bool[] SelectExcessOfMass(bool allowRoot)
        {
            var selected = new bool[ClusterCount];
            var best = new double[ClusterCount];
            for (var c = ClusterCount - 1; c >= 0; c--)
            {
                var descendants = _children[c].Sum(child => best[child]);
                var candidate = c > 0 || allowRoot;
                if (_children[c].Count == 0 || (candidate && _stability[c] >= descendants))
                {
                    best[c] = _stability[c];
                    if (candidate)
                    {
                        Deselect(selected, c);
                        selected[c] = true;
                    }
                }
                else
                {
                    best[c] = descendants;
                }
            }
            return selected;
        }

        public bool[] SelectLeaves(bool allowRoot)
        {
            var selected = new bool[ClusterCount];
            for (var c = 0; c < ClusterCount; c++)
            {
                selected[c] = _children[c].Count == 0 && (c > 0 || allowRoot);
            }
            return selected;
        }

        private void Deselect(bool[] selected, int cluster)
        {
            foreach (var child in _children[cluster])
            {
                selected[child] = false;
                Deselect(selected, child);
            }
        }

        public HdbscanResult Label(bool[] selected, List<CondensedTreeEdge> edges)
        {
            var nodes = Enumerable.Range(0, ClusterCount).Where(c => selected[c]).ToArray();
            var labelOf = Enumerable.Repeat(-1, ClusterCount).ToArray();
            for (var label = 0; label < nodes.Length; label++)
            {
                labelOf[nodes[label]] = label;
            }
            // A cluster belongs to its own label if selected, else to its nearest selected ancestor's (parents first).
            var owner = new int[ClusterCount];
            var ownerNode = new int[ClusterCount];
            for (var c = 0; c < ClusterCount; c++)
            {
                (owner[c], ownerNode[c]) = selected[c] ? (labelOf[c], c)
                    : c > 0 ? (owner[_parent[c]], ownerNode[_parent[c]])
                    : (-1, -1);
            }
            var labels = new int[_n];
            var probabilities = new float[_n];
            var outlierScores = new float[_n];
            for (var p = 0; p < _n; p++)
            {
                var cluster = _pointCluster[p];
                labels[p] = owner[cluster];
                if (labels[p] >= 0)
                {
                    probabilities[p] = (float)Fraction(_pointLambda[p], _maxLambda[ownerNode[cluster]]);
                }
                outlierScores[p] = (float)(1 - Fraction(_pointLambda[p], _maxLambda[cluster]));
            }
            return new HdbscanResult(labels, probabilities, outlierScores, nodes.Length, nodes.Select(c => _stability[c]).ToArray(), edges, nodes);
        }

        // λ / λmax, taking the limits when λmax is infinite (coincident points): 1 for infinite λ, else 0.
        private static double Fraction(double lambda, double maxLambda) =>
            double.IsPositiveInfinity(maxLambda) ? (double.IsPositiveInfinity(lambda) ? 1 : 0)
            : maxLambda > 0 ? Math.Min(lambda, maxLambda) / maxLambda : 1;
    }
}
