namespace SquadAlbert.Analysis.Neighbours;

/// <summary>
/// One neighbour of a query: the sample's row index and its cosine similarity to the query. Lists of them are
/// ordered by higher similarity first and, among equal similarities, lower index first.
/// </summary>
public readonly record struct Neighbour(int Index, float Similarity);
