using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Projection;

/// <summary>How the layout's starting coordinates were obtained.</summary>
public enum InitialisationKind
{
    /// <summary>Eigenvectors of the normalised Laplacian of the connected graph.</summary>
    Spectral,

    /// <summary>The graph falls apart: each component laid out spectrally in its own box (umap-learn's multi_component_layout).</summary>
    MultiComponentSpectral,

    /// <summary>Uniform in [−10, 10]: the graph is too small for an eigenproblem.</summary>
    Random,
}

/// <summary>
/// umap-learn's spectral initialisation: the eigenvectors of the symmetric normalised Laplacian L = I − D^(−½) A D^(−½)
/// with the smallest non-trivial eigenvalues, i.e. the largest eigenvalues of N = D^(−½) A D^(−½) after deflating
/// the trivial eigenvector D^(½)·1. Found by Lanczos with full reorthogonalisation on sparse matrix-vector products
/// only (never a dense n x n matrix), explicitly restarted from the current Ritz vectors until their residuals fall
/// under the tolerance. Coordinates are then scaled as umap-learn does: to max |x| = 10, plus N(0, 1e-4) noise, then
/// each axis min-max scaled to [0, 10].
/// </summary>
public static class SpectralInitialisation
{
    private const ulong NoisePurpose = 0x73706563;
    private const double Tolerance = 1e-4;
    private const int MaxRestarts = 100;

    /// <param name="data">The input points, used only to place components relative to each other.</param>
    public static (float[] Coordinates, InitialisationKind Kind) Initialise(SparseMatrix graph, RowMatrix data, int dimensions, int seed)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var n = graph.Rows;
        var random = RandomStreams.Stream(seed, NoisePurpose);
        var (labels, componentCount) = ConnectedComponents(graph);
        double[] layout;
        InitialisationKind kind;
        if (componentCount == 1 && n > dimensions + 1)
        {
            layout = SpectralLayout(graph, dimensions, seed);
            kind = InitialisationKind.Spectral;
        }
        else if (componentCount > 1)
        {
            layout = MultiComponentLayout(graph, data, labels, componentCount, dimensions, seed);
            kind = InitialisationKind.MultiComponentSpectral;
        }
        else
        {
            layout = new double[n * dimensions];
            for (var i = 0; i < layout.Length; i++)
            {
                layout[i] = (random.NextFloat() * 20) - 10;
            }
            kind = InitialisationKind.Random;
        }
        var coordinates = new float[n * dimensions];
        var expansion = kind == InitialisationKind.Random ? 1.0 : 10.0 / Math.Max(layout.Max(Math.Abs), 1e-300);
        for (var i = 0; i < coordinates.Length; i++)
        {
            var noise = kind == InitialisationKind.Random ? 0 : 1e-4 * random.NextGaussian();
            coordinates[i] = (float)((layout[i] * expansion) + noise);
        }
        ScaleToBox(coordinates, dimensions);
        return (coordinates, kind);
    }

    /// <summary>umap-learn's final rescale: each axis to [0, 10].</summary>
    internal static void ScaleToBox(float[] coordinates, int dimensions)
    {
        var n = coordinates.Length / dimensions;
        for (var c = 0; c < dimensions; c++)
        {
            var min = float.PositiveInfinity;
            var max = float.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                min = MathF.Min(min, coordinates[(i * dimensions) + c]);
                max = MathF.Max(max, coordinates[(i * dimensions) + c]);
            }
            var range = max > min ? max - min : 1f;
            for (var i = 0; i < n; i++)
            {
                coordinates[(i * dimensions) + c] = 10f * (coordinates[(i * dimensions) + c] - min) / range;
            }
        }
    }

    /// <summary>The <paramref name="dimensions"/> non-trivial eigenvectors of a connected graph's Laplacian, row-major n x dimensions.</summary>
    internal static double[] SpectralLayout(SparseMatrix graph, int dimensions, int seed)
    {
        var n = graph.Rows;
        var inverseSqrtDegree = new double[n];
        var trivial = new double[n];
        for (var i = 0; i < n; i++)
        {
            double degree = 0;
            for (var e = graph.RowStarts[i]; e < graph.RowStarts[i + 1]; e++)
            {
                degree += graph.Values[e];
            }
            inverseSqrtDegree[i] = degree > 0 ? 1 / Math.Sqrt(degree) : 0;
            trivial[i] = Math.Sqrt(degree);
        }
        _ = VectorMath.TryNormalizeInPlace(trivial, 0);
        void NormalisedAdjacency(double[] x, double[] y)
        {
            for (var i = 0; i < n; i++)
            {
                double sum = 0;
                for (var e = graph.RowStarts[i]; e < graph.RowStarts[i + 1]; e++)
                {
                    var j = graph.ColumnIndices[e];
                    sum += graph.Values[e] * inverseSqrtDegree[j] * x[j];
                }
                y[i] = sum * inverseSqrtDegree[i];
            }
        }
        var vectors = Lanczos.LargestEigenvectors(NormalisedAdjacency, n, dimensions, [trivial], seed, Tolerance, MaxRestarts);
        var layout = new double[n * dimensions];
        for (var c = 0; c < dimensions; c++)
        {
            for (var i = 0; i < n; i++)
            {
                layout[(i * dimensions) + c] = vectors[c][i];
            }
        }
        return layout;
    }

    /// <summary>
    /// umap-learn's multi_component_layout: components get positions of their own (unit vectors ±eᵢ when there are
    /// at most 2·dimensions of them, otherwise the principal components of the component centroids, where
    /// umap-learn uses a spectral embedding of the centroids), and each is laid out inside a box of half the
    /// distance to its nearest fellow; components too small for an eigenproblem are placed at random in their box.
    /// </summary>
    private static double[] MultiComponentLayout(SparseMatrix graph, RowMatrix data, int[] labels, int componentCount, int dimensions, int seed)
    {
        var n = graph.Rows;
        var meta = ComponentPositions(data, labels, componentCount, dimensions, seed);
        var result = new double[n * dimensions];
        var random = RandomStreams.Stream(seed, NoisePurpose, 1);
        for (var label = 0; label < componentCount; label++)
        {
            var members = Enumerable.Range(0, n).Where(i => labels[i] == label).ToArray();
            var halfGap = double.PositiveInfinity;
            for (var other = 0; other < componentCount; other++)
            {
                double squared = 0;
                for (var c = 0; c < dimensions; c++)
                {
                    var difference = meta[(label * dimensions) + c] - meta[(other * dimensions) + c];
                    squared += difference * difference;
                }
                if (squared > 0)
                {
                    halfGap = Math.Min(halfGap, Math.Sqrt(squared) / 2);
                }
            }
            if (double.IsPositiveInfinity(halfGap))
            {
                halfGap = 1;
            }
            double[] local;
            if (members.Length < 2 * dimensions || members.Length <= dimensions + 1)
            {
                local = new double[members.Length * dimensions];
                for (var i = 0; i < local.Length; i++)
                {
                    local[i] = ((random.NextFloat() * 2) - 1) * halfGap;
                }
            }
            else
            {
                local = SpectralLayout(Subgraph(graph, members), dimensions, seed + label);
                var expansion = halfGap / Math.Max(local.Max(Math.Abs), 1e-300);
                for (var i = 0; i < local.Length; i++)
                {
                    local[i] *= expansion;
                }
            }
            for (var m = 0; m < members.Length; m++)
            {
                for (var c = 0; c < dimensions; c++)
                {
                    result[(members[m] * dimensions) + c] = local[(m * dimensions) + c] + meta[(label * dimensions) + c];
                }
            }
        }
        return result;
    }

    private static double[] ComponentPositions(RowMatrix data, int[] labels, int componentCount, int dimensions, int seed)
    {
        var meta = new double[componentCount * dimensions];
        if (componentCount <= 2 * dimensions)
        {
            var half = (componentCount + 1) / 2;
            for (var label = 0; label < componentCount; label++)
            {
                meta[(label * dimensions) + (label % half)] = label < half ? 1 : -1;
            }
            return meta;
        }
        var centroids = new float[componentCount * data.Columns];
        var sizes = new int[componentCount];
        for (var i = 0; i < data.Rows; i++)
        {
            sizes[labels[i]]++;
            var row = data.Row(i);
            for (var c = 0; c < data.Columns; c++)
            {
                centroids[(labels[i] * data.Columns) + c] += row[c];
            }
        }
        for (var i = 0; i < centroids.Length; i++)
        {
            centroids[i] /= sizes[i / data.Columns];
        }
        var components = Math.Min(dimensions, data.Columns);
        var projected = Pca.Fit(new RowMatrix(centroids, componentCount, data.Columns), components, seed).Transform(
            new RowMatrix(centroids, componentCount, data.Columns));
        var scale = Math.Max(projected.Values.Max(Math.Abs), 1e-30f);
        for (var label = 0; label < componentCount; label++)
        {
            for (var c = 0; c < components; c++)
            {
                meta[(label * dimensions) + c] = projected.Values[(label * components) + c] / scale;
            }
        }
        return meta;
    }

    private static SparseMatrix Subgraph(SparseMatrix graph, int[] members)
    {
        var local = new Dictionary<int, int>(members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            local[members[i]] = i;
        }
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        for (var i = 0; i < members.Length; i++)
        {
            var global = members[i];
            for (var e = graph.RowStarts[global]; e < graph.RowStarts[global + 1]; e++)
            {
                rows.Add(i);
                cols.Add(local[graph.ColumnIndices[e]]);
                vals.Add(graph.Values[e]);
            }
        }
        return SparseMatrix.FromCoordinates(members.Length, members.Length, [.. rows], [.. cols], [.. vals]);
    }

    /// <summary>Component label per vertex (labels in order of first vertex) and the number of components.</summary>
    internal static (int[] Labels, int Count) ConnectedComponents(SparseMatrix graph)
    {
        var labels = new int[graph.Rows];
        Array.Fill(labels, -1);
        var count = 0;
        var stack = new Stack<int>();
        for (var start = 0; start < graph.Rows; start++)
        {
            if (labels[start] >= 0)
            {
                continue;
            }
            labels[start] = count;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var vertex = stack.Pop();
                for (var e = graph.RowStarts[vertex]; e < graph.RowStarts[vertex + 1]; e++)
                {
                    var neighbour = graph.ColumnIndices[e];
                    if (labels[neighbour] < 0)
                    {
                        labels[neighbour] = count;
                        stack.Push(neighbour);
                    }
                }
            }
            count++;
        }
        return (labels, count);
    }
}
