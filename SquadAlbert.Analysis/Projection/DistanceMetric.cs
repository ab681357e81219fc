namespace SquadAlbert.Analysis.Projection;

/// <summary>Dissimilarity between two input points.</summary>
public enum DistanceMetric
{
    /// <summary>Straight-line distance.</summary>
    Euclidean,

    /// <summary>1 − cos(angle); a zero vector is at distance 1 from everything.</summary>
    Cosine,
}
