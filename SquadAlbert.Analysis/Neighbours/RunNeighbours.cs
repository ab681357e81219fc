using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Neighbours;

/// <summary>A nearest sample of a run with what a list of neighbours shows.</summary>
/// <param name="ExampleId">The question id: what pairs this neighbour with one in another run's list (sample indices need not agree).</param>
public sealed record SampleNeighbour(int SampleIndex, float Similarity, string Question, string Gold, string Prediction, double Loss, double F1, string ExampleId);

/// <summary>
/// The exact cosine neighbours of a run's samples by their context_mean embeddings (the mean last hidden state over the
/// loss window's context tokens). Loading reads every embedding of the run once; queries are then in memory.
/// </summary>
public sealed class RunNeighbours
{
    private readonly CosineNeighbourIndex? _index;
    private readonly int[] _sampleOfRow;
    private readonly Dictionary<int, int> _rowOfSample;
    private readonly RunSampleReader _samples;

    private RunNeighbours(long runId, RunSampleReader samples, CosineNeighbourIndex? index, int[] sampleOfRow)
    {
        RunId = runId;
        _samples = samples;
        _index = index;
        _sampleOfRow = sampleOfRow;
        _rowOfSample = sampleOfRow.Select((sample, row) => (sample, row)).ToDictionary(p => p.sample, p => p.row);
    }

    public long RunId { get; }

    /// <summary>Samples with an embedding.</summary>
    public int Count => _sampleOfRow.Length;

    /// <exception cref="InputException">The embeddings of the run do not share one dimension.</exception>
    public static RunNeighbours Load(SqliteConnectionFactory database, long runId)
    {
        ArgumentNullException.ThrowIfNull(database);
        var (samples, values, dimension) = new RunStore(database).Embeddings(runId, EmbeddingKinds.ContextMean);
        var index = samples.Length == 0 ? null : new CosineNeighbourIndex(values, samples.Length, dimension);
        return new RunNeighbours(runId, new RunSampleReader(database), index, samples);
    }

    /// <summary>The <paramref name="k"/> samples most similar to <paramref name="sampleIndex"/> (never itself), most similar
    /// first; empty when the sample has no embedding.</summary>
    public IReadOnlyList<SampleNeighbour> Nearest(int sampleIndex, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (_index is null || !_rowOfSample.TryGetValue(sampleIndex, out var row) || k == 0)
        {
            return [];
        }
        var neighbours = _index.Query(row, Math.Min(k, Count - 1));
        var rows = _samples.FindMany(RunId, [.. neighbours.Select(n => _sampleOfRow[n.Index])]).ToDictionary(s => s.SampleIndex);
        return [.. neighbours.Select(n =>
        {
            var sample = rows[_sampleOfRow[n.Index]];
            return new SampleNeighbour(
                sample.SampleIndex, n.Similarity, sample.Question, sample.GoldAnswers.Count > 0 ? sample.GoldAnswers[0].Text : "",
                sample.Prediction, sample.Loss, sample.F1, sample.ExampleId);
        })];
    }
}
