using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// Exact cosine nearest neighbours among the rows of an n × d embedding matrix, in similarities: the sample
/// neighbours' view of the shared engine (<see cref="ExactNeighbours"/>, whose cosine key is the negated similarity).
/// </summary>
/// <remarks>
/// Results are ordered by descending similarity, then ascending row index; equal rows get bit-identical
/// similarities. The query itself is never its own neighbour; an identical row is. Zero rows have no direction:
/// their similarity to every row (including other zero rows) is 0, so a zero query returns the k lowest-numbered
/// other rows, each with similarity 0.
/// </remarks>
public sealed class CosineNeighbourIndex
{
    private readonly ExactNeighbours _search;

    /// <summary>Normalises a copy of <paramref name="embeddings"/> (count × dimension, row-major).</summary>
    public CosineNeighbourIndex(float[] embeddings, int count, int dimension)
        : this(new RowMatrix(embeddings, count, dimension, nameof(embeddings)))
    {
    }

    /// <summary>Normalises a copy of <paramref name="embeddings"/>.</summary>
    public CosineNeighbourIndex(RowMatrix embeddings) => _search = new ExactNeighbours(embeddings, DistanceMetric.Cosine);

    /// <summary>Number of rows.</summary>
    public int Count => _search.Count;

    /// <summary>Number of columns (embedding dimension).</summary>
    public int Dimension => _search.Dimension;

    /// <summary>Cosine similarity of rows <paramref name="a"/> and <paramref name="b"/>, bit for bit as the queries compute it.</summary>
    public float Similarity(int a, int b) => -_search.Key(a, b);

    /// <summary>The <paramref name="k"/> rows most similar to row <paramref name="sample"/> (fewer if the matrix has fewer other rows).</summary>
    public Neighbour[] Query(int sample, int k) => QueryBatch([sample], k)[0];

    /// <summary>Top-<paramref name="k"/> neighbours of every row.</summary>
    public Neighbour[][] QueryAll(int k) => QueryBatch(Enumerable.Range(0, Count).ToArray(), k);

    /// <summary>
    /// The <paramref name="k"/> most similar other rows for each row index in <paramref name="samples"/>, best first
    /// (result i belongs to samples[i]). k is capped at Count − 1.
    /// </summary>
    public Neighbour[][] QueryBatch(IReadOnlyList<int> samples, int k)
    {
        var lists = _search.Search(samples, k);
        var results = new Neighbour[lists.QueryCount][];
        for (var q = 0; q < results.Length; q++)
        {
            var indices = lists.IndicesOf(q);
            var keys = lists.KeysOf(q);
            var neighbours = results[q] = new Neighbour[indices.Length];
            for (var i = 0; i < neighbours.Length; i++)
            {
                neighbours[i] = new Neighbour(indices[i], -keys[i]);
            }
        }
        return results;
    }
}
