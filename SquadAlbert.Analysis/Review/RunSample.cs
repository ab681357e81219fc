using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Review;

/// <summary>A sample's SQuAD 2.0 columns (migration 8), as the sample page and the label review show them; the values are
/// null in rows written before that migration.</summary>
/// <param name="Answerable">The question has a gold answer (<c>answerable</c>).</param>
/// <param name="NullScore">The <c>[CLS]</c> start + end logit, the minimum over windows (<c>null_score</c>).</param>
/// <param name="NullScoreDiff">Null score − best span score (<c>null_score_diff</c>); null when no span exists.</param>
/// <param name="NoAnswerProbability">The null score's softmax share against the n-best spans (<c>no_answer_probability</c>).</param>
/// <param name="PredictedNoAnswer">The reader abstained (<c>predicted_no_answer</c>).</param>
/// <param name="Outcome">One of <see cref="SampleOutcomes.All"/> (<c>outcome</c>).</param>
/// <param name="BestSpanText">The best non-null span's text (first <c>nbest_json</c> entry; "" without one).</param>
public sealed record SampleNoAnswer(
    bool Answerable, double? NullScore, double? NullScoreDiff, double? NoAnswerProbability, bool PredictedNoAnswer, string? Outcome, string BestSpanText)
{
    /// <summary>The best span's start + end logit: null score − (null score − best span score).</summary>
    public double? BestSpanScore => NullScore is { } nullScore && NullScoreDiff is { } diff ? nullScore - diff : null;
}

/// <summary>The columns of one <c>samples</c> row that the sample and review pages show.</summary>
/// <param name="NoAnswer">The SQuAD 2.0 columns; null only where a caller builds a sample without them (tests).</param>
/// <param name="NBest">The stored n-best candidates, best first (<c>nbest_json</c>); null only where a caller builds a sample
/// without them (tests).</param>
public sealed record RunSample(
    long RunId, int SampleIndex, string ExampleId, string Split, string Title, string Question, string Context,
    IReadOnlyList<GoldAnswer> GoldAnswers, string Prediction, int PredictionStart, int PredictionEnd, double PredictionProbability,
    double StartProbability, double EndProbability, int LossWindow, bool LossOnCls, double LossStart, double LossEnd, double Loss,
    bool ExactMatch, double F1, string Relation, string QuestionType, string AnswerType, int WindowCount, LabelScores Label,
    SampleNoAnswer? NoAnswer = null, IReadOnlyList<NBestEntry>? NBest = null)
{
    /// <summary>Marked unanswerable (SQuAD 2.0).</summary>
    public bool IsUnanswerable => NoAnswer is { Answerable: false };

    /// <summary><see cref="AnswerabilityCheck"/> of the stored fields; <see cref="AnswerabilitySuspicion.None"/> without a
    /// no-answer probability. Only meaningful in a SQuAD 2.0 run (in a v1.1 run the reader was never asked to abstain).</summary>
    public AnswerabilitySuspicion Answerability => NoAnswer is { NoAnswerProbability: { } probability } noAnswer
        ? AnswerabilityCheck.Of(Question, noAnswer.Answerable, [.. GoldAnswers.Select(g => g.Text)], noAnswer.BestSpanText, probability)
        : AnswerabilitySuspicion.None;

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

    /// <summary>The sample of a run that holds question <paramref name="exampleId"/> (the lowest sample index if a population
    /// repeats it); null when the run has no such question.</summary>
    public RunSample? FindQuestion(long runId, string exampleId) => _store.SampleOfQuestion(runId, exampleId);

    /// <summary>The samples of a run with these indices, in the order of <paramref name="sampleIndices"/> (missing ones skipped).</summary>
    public IReadOnlyList<RunSample> FindMany(long runId, IReadOnlyList<int> sampleIndices) => _store.Samples(runId, sampleIndices);

    /// <summary>Every sample of a run, in sample order.</summary>
    public IReadOnlyList<RunSample> All(long runId) => _store.Samples(runId);
}
