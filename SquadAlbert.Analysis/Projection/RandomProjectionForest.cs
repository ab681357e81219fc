using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Random-projection trees as NN-descent's starting guess (pynndescent's rp-forest): each node splits its points
/// by the hyperplane equidistant from two of them picked at random, until leaves hold at most the leaf size.
/// Points sharing a leaf are likely near each other, and several independent trees cover each other's misses.
/// </summary>
internal static class RandomProjectionForest
{
    private const ulong TreePurpose = 0x7265;

    public static List<int[]> Leaves(PreparedPoints points, int treeCount, int leafSize, int seed, bool parallel)
    {
        var perTree = new List<int[]>[treeCount];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 };
        Parallel.For(0, treeCount, options, tree =>
            perTree[tree] = TreeLeaves(points, leafSize, RandomStreams.Stream(seed, TreePurpose, tree)));
        return perTree.SelectMany(leaves => leaves).ToList();
    }

    private static List<int[]> TreeLeaves(PreparedPoints points, int leafSize, SplitMix64 random)
    {
        var order = Enumerable.Range(0, points.Count).ToArray();
        var leaves = new List<int[]>();
        var pending = new Stack<(int Start, int End)>();
        pending.Push((0, order.Length));
        var normal = new float[points.Matrix.Columns];
        while (pending.Count > 0)
        {
            var (start, end) = pending.Pop();
            if (end - start <= leafSize)
            {
                leaves.Add(order[start..end]);
                continue;
            }
            var split = Partition(points, order, start, end, normal, random);
            pending.Push((start, split));
            pending.Push((split, end));
        }
        return leaves;
    }

    /// <summary>Reorders order[start..end) so the left side comes first; returns where the right side begins.</summary>
    private static int Partition(PreparedPoints points, int[] order, int start, int end, float[] normal, SplitMix64 random)
    {
        var first = random.NextBelow(end - start);
        var second = random.NextBelow(end - start - 1);
        second += second >= first ? 1 : 0;
        var left = order[start + first];
        var right = order[start + second];
        var a = points.Matrix.Row(left);
        var b = points.Matrix.Row(right);
        var offset = 0f;
        for (var c = 0; c < normal.Length; c++)
        {
            normal[c] = a[c] - b[c];
            // Cosine rows are unit vectors: the angular split passes through the origin (offset 0).
            if (points.Metric == DistanceMetric.Euclidean)
            {
                offset -= normal[c] * (a[c] + b[c]) / 2;
            }
        }
        var boundary = start;
        for (var i = start; i < end; i++)
        {
            var margin = VectorMath.Dot(normal, points.Matrix.Row(order[i])) + offset;
            var goesLeft = margin > 0 || (margin == 0 && (random.Next() & 1) == 0);
            if (goesLeft)
            {
                (order[boundary], order[i]) = (order[i], order[boundary]);
                boundary++;
            }
        }
        // Duplicates (or a degenerate pair) can put everything on one side: halve instead, so the tree terminates.
        return boundary == start || boundary == end ? start + ((end - start) / 2) : boundary;
    }
}
