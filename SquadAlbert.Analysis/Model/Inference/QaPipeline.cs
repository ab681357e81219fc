using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>Everything one pass of the pipeline produced, so callers can go beyond the answers (losses, embeddings).</summary>
public sealed record QaPipelineResult(IReadOnlyList<QaWindow> Windows, IReadOnlyList<QaWindowOutput> Outputs, IReadOnlyList<QaPrediction> Predictions);

/// <summary>
/// The question-answering pipeline of a model folder: its tokenizer (<c>spiece.model</c> or <c>vocab.txt</c>), the featurizer, the ONNX
/// Runtime session and the post-processor, checked against each other once when opened. <c>predict</c> and
/// <c>analyze</c> both answer through it.
/// </summary>
public sealed class QaPipeline : IDisposable
{
    private QaPipeline(string modelDirectory, ISubwordTokenizer tokenizer, QaFeaturizer featurizer, QaModelSession session)
    {
        ModelDirectory = modelDirectory;
        Tokenizer = tokenizer;
        Featurizer = featurizer;
        Session = session;
    }

    public string ModelDirectory { get; }

    public ISubwordTokenizer Tokenizer { get; }

    public QaFeaturizer Featurizer { get; }

    public QaModelSession Session { get; }

    /// <param name="precision">The arithmetic of a graph built from a checkpoint (<see cref="QaModelSession.Open"/>).</param>
    /// <exception cref="InputException">No tokenizer or model in the folder, invalid options, windows longer than
    /// the model's position embeddings, or int8 asked of a user's ONNX export.</exception>
    public static QaPipeline Open(
        string modelDirectory, QaFeaturizerOptions options, int? threads = null, InferencePrecision precision = InferencePrecision.Fp32,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tokenizer = ModelTokenizer.Load(modelDirectory);
        var session = QaModelSession.Open(modelDirectory, threads, precision, cancellationToken);
        if (session.MaxSequenceLength is { } positions && options.MaxSeqLength > positions)
        {
            session.Dispose();
            throw new InputException(
                $"--max-seq-length {options.MaxSeqLength} exceeds max_position_embeddings {positions} in {Path.Combine(modelDirectory, EncoderConfig.FileName)}.");
        }
        return new QaPipeline(modelDirectory, tokenizer, new QaFeaturizer(tokenizer, options), session);
    }

    /// <summary>Featurizes, runs and post-processes <paramref name="examples"/>; window and prediction example indices
    /// are positions in <paramref name="examples"/>.</summary>
    public QaPipelineResult Answer(
        IReadOnlyList<SquadExample> examples,
        QaRunOptions runOptions,
        QaPostProcessingOptions postProcessing,
        IProgress<QaRunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var windows = Featurizer.Featurize(examples).ToList();
        var outputs = Session.Run(windows, runOptions, progress, cancellationToken);
        return new QaPipelineResult(windows, outputs, QaPostProcessor.Predict(examples, outputs, postProcessing));
    }

    public void Dispose() => Session.Dispose();
}
