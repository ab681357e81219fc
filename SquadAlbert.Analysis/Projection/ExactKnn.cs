using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// Brute-force k nearest neighbours: every pair compared once per query, in tiles of queries x candidates so a
/// candidate tile is reused from cache by the whole query tile. Exact, and deterministic in parallel too, since
/// every query's heap is filled by one thread.
/// </summary>
public static class ExactKnn
{
    private const int QueryTile = 32;
    private const int CandidateTile = 128;

    /// <param name="neighbourCount">Neighbours per point, the point itself included (umap-learn's n_neighbors).</param>
    public static KnnGraph Build(RowMatrix data, int neighbourCount, DistanceMetric metric, bool parallel = true)
    {
        ValidateNeighbourCount(data, neighbourCount);
        var points = PreparedPoints.From(data, metric);
        var heaps = new NeighbourHeaps(data.Rows, neighbourCount);
        heaps.OfferSelves();
        var tiles = (data.Rows + QueryTile - 1) / QueryTile;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 };
        Parallel.For(0, tiles, options, tile =>
        {
            var queryStart = tile * QueryTile;
            var queryEnd = Math.Min(data.Rows, queryStart + QueryTile);
            for (var candidateStart = 0; candidateStart < data.Rows; candidateStart += CandidateTile)
            {
                var candidateEnd = Math.Min(data.Rows, candidateStart + CandidateTile);
                for (var query = queryStart; query < queryEnd; query++)
                {
                    var queryRow = points.Matrix.Row(query);
                    for (var candidate = candidateStart; candidate < candidateEnd; candidate++)
                    {
                        if (candidate == query)
                        {
                            continue;
                        }
                        var key = points.Surrogate(queryRow, points.Matrix.Row(candidate));
                        if (key < heaps.Worst(query))
                        {
                            heaps.Offer(query, candidate, key);
                        }
                    }
                }
            }
        });
        return heaps.ToGraph(points.ToDistance);
    }

    internal static void ValidateNeighbourCount(RowMatrix data, int neighbourCount)
    {
        if (neighbourCount < 2 || neighbourCount > data.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbourCount), neighbourCount,
                $"Need 2 <= neighbours (self included) <= points ({data.Rows}).");
        }
    }
}
