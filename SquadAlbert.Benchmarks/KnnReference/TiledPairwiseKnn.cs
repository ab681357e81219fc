using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Benchmarks.KnnReference;

/// <summary>
/// The knn benchmark's references for the two other searches the shared engine replaced, as they were at c5e9fc5:
/// UMAP's exact kNN graph (<c>ExactKnn</c>: tiles of queries × candidates, one <see cref="VectorMath"/> kernel call
/// per pair, UMAP's flat heaps) and HDBSCAN's mutual reachability (<c>MutualReachability</c>: core distances by one
/// kernel call per pair and an insertion-sorted buffer of the k smallest; Prim's tree by one kernel call per pair).
/// </summary>
internal static class TiledPairwiseKnn
{
    private const int QueryTile = 32;
    private const int CandidateTile = 128;

    /// <summary>Euclidean kNN graph, self included as the first neighbour.</summary>
    public static KnnGraph Build(RowMatrix data, int neighbourCount)
    {
        var heaps = new NeighbourHeaps(data.Rows, neighbourCount);
        heaps.OfferSelves();
        var tiles = (data.Rows + QueryTile - 1) / QueryTile;
        Parallel.For(0, tiles, tile =>
        {
            var queryStart = tile * QueryTile;
            var queryEnd = Math.Min(data.Rows, queryStart + QueryTile);
            for (var candidateStart = 0; candidateStart < data.Rows; candidateStart += CandidateTile)
            {
                var candidateEnd = Math.Min(data.Rows, candidateStart + CandidateTile);
                for (var query = queryStart; query < queryEnd; query++)
                {
                    var queryRow = data.Row(query);
                    for (var candidate = candidateStart; candidate < candidateEnd; candidate++)
                    {
                        if (candidate == query)
                        {
                            continue;
                        }
                        var key = VectorMath.SquaredEuclidean(queryRow, data.Row(candidate));
                        if (key < heaps.Worst(query))
                        {
                            heaps.Offer(query, candidate, key);
                        }
                    }
                }
            }
        });
        return heaps.ToGraph(MathF.Sqrt);
    }

    /// <summary>Squared distance from every row to its k-th nearest row, counting the row itself.</summary>
    public static float[] SquaredCoreDistances(RowMatrix data, int k)
    {
        var squaredCore = new float[data.Rows];
        Parallel.For(0, data.Rows, i =>
        {
            Span<float> smallest = stackalloc float[k];
            smallest.Fill(float.PositiveInfinity);
            var row = data.Row(i);
            for (var j = 0; j < data.Rows; j++)
            {
                var distance = VectorMath.SquaredEuclidean(row, data.Row(j));
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
            squaredCore[i] = smallest[k - 1];
        });
        return squaredCore;
    }

    /// <summary>Prim's algorithm on the mutual-reachability graph; the squared reach of each edge, in joining order.</summary>
    public static float[] SpanningTreeSquaredReaches(RowMatrix data, float[] squaredCore)
    {
        var n = data.Rows;
        var inTree = new bool[n];
        var nearest = new float[n];
        Array.Fill(nearest, float.PositiveInfinity);
        var reaches = new float[n - 1];
        var chunks = n >= 2048 ? Environment.ProcessorCount * 4 : 1;
        var chunkBest = new int[chunks];
        var current = 0;
        inTree[0] = true;
        for (var added = 0; added < n - 1; added++)
        {
            var from = current;
            var fromCore = squaredCore[from];
            Parallel.For(0, chunks, chunk =>
            {
                var best = -1;
                for (var j = (int)((long)chunk * n / chunks); j < (int)((long)(chunk + 1) * n / chunks); j++)
                {
                    if (inTree[j])
                    {
                        continue;
                    }
                    var reach = Math.Max(Math.Max(fromCore, squaredCore[j]), VectorMath.SquaredEuclidean(data.Row(from), data.Row(j)));
                    nearest[j] = Math.Min(nearest[j], reach);
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
                if (candidate >= 0 && (next < 0 || nearest[candidate] < nearest[next]))
                {
                    next = candidate;
                }
            }
            inTree[next] = true;
            reaches[added] = nearest[next];
            current = next;
        }
        return reaches;
    }
}
