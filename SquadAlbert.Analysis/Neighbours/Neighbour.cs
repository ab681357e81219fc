namespace SquadAlbert.Analysis.Neighbours;

/// <summary>One neighbour of a query: the sample's row index and its cosine similarity to the query.</summary>
public readonly record struct Neighbour(int Index, float Similarity)
{
    /// <summary>
    /// The ranking order: higher similarity first, and among equal similarities the lower index first, so that
    /// results are unique and reproducible.
    /// </summary>
    public static bool Ranks(float similarity, int index, float otherSimilarity, int otherIndex) =>
        similarity > otherSimilarity || (similarity == otherSimilarity && index < otherIndex);
}
