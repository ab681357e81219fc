using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>The columns of one <c>samples</c> row that the sample and review pages show.</summary>
public sealed record RunSample(
    long RunId, int SampleIndex, string ExampleId, string Split, string Title, string Question, string Context,
    IReadOnlyList<GoldAnswer> GoldAnswers, string Prediction, int PredictionStart, int PredictionEnd, double PredictionProbability,
    double StartProbability, double EndProbability, int LossWindow, bool LossOnCls, double LossStart, double LossEnd, double Loss,
    bool ExactMatch, double F1, string Relation, string QuestionType, string AnswerType, int WindowCount, LabelScores Label)
{
    /// <summary>The sample as a SQuAD example again (answers in UTF-16 offsets), for featurizing it as the run did.</summary>
    public SquadExample ToExample() => new(
        ExampleId, Title, Context, Question, [.. GoldAnswers.Select(a => new SquadAnswer(a.Text, a.Start))], GoldAnswers.Count == 0,
        new SquadLocation(0, 0, 0));
}

/// <summary>Reads <see cref="RunSample"/> rows for the sample and review pages; the rows are read by the owner of <c>samples</c>,
/// <see cref="RunStore"/>.</summary>
public sealed class RunSampleReader(SqliteConnectionFactory database)
{
    private readonly RunStore _store = new(database ?? throw new ArgumentNullException(nameof(database)));

    public SqliteConnectionFactory Database => _store.Database;

    public RunSample? Find(long runId, int sampleIndex) => _store.Sample(runId, sampleIndex);

    /// <summary>The samples of a run with these indices, in the order of <paramref name="sampleIndices"/> (missing ones skipped).</summary>
    public IReadOnlyList<RunSample> FindMany(long runId, IReadOnlyList<int> sampleIndices) => _store.Samples(runId, sampleIndices);

    /// <summary>Every sample of a run, in sample order.</summary>
    public IReadOnlyList<RunSample> All(long runId) => _store.Samples(runId);
}
