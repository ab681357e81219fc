using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>The model outputs for one window, unpadded (one value per token of <see cref="Window"/>).</summary>
/// <param name="ClsEmbedding">Final hidden state of [CLS]; null when the model has no <c>cls_embedding</c> output or
/// embeddings were not requested.</param>
/// <param name="ContextMeanEmbedding">Mean final hidden state over the window's context tokens (see
/// <see cref="QaGraphBuilder"/>); null like <paramref name="ClsEmbedding"/>.</param>
public sealed record QaWindowOutput(QaWindow Window, float[] StartLogits, float[] EndLogits, float[]? ClsEmbedding, float[]? ContextMeanEmbedding);

/// <summary>How <see cref="QaModelSession.Run"/> batches windows.</summary>
/// <param name="BatchSize">Windows per ONNX Runtime call; windows are sorted by length and padded per batch.</param>
/// <param name="IncludeEmbeddings">Also fetch <c>cls_embedding</c> and <c>context_mean_embedding</c> when the model has them.</param>
public sealed record QaRunOptions(int BatchSize = 32, bool IncludeEmbeddings = false);

/// <summary>Progress of a run: windows finished out of all windows.</summary>
public readonly record struct QaRunProgress(int WindowsDone, int WindowsTotal);

/// <summary>
/// An ONNX Runtime session over an extractive-QA model: either the graph built from a Hugging Face ALBERT folder, or a
/// user's own export with int64 inputs <c>input_ids</c>, <c>attention_mask</c> (and optionally <c>token_type_ids</c>)
/// and outputs <c>start_logits</c>, <c>end_logits</c>; the pooled embeddings are used when present.
/// </summary>
public sealed class QaModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _takesTokenTypes;
    private readonly string _source;

    private QaModelSession(InferenceSession session, string source)
    {
        _session = session;
        _source = source;
        foreach (var input in new[] { QaGraphNames.InputIds, QaGraphNames.AttentionMask })
        {
            RequireInput(source, input);
        }
        _takesTokenTypes = session.InputMetadata.ContainsKey(QaGraphNames.TokenTypeIds);
        if (_takesTokenTypes)
        {
            RequireInput(source, QaGraphNames.TokenTypeIds);
        }
        foreach (var output in new[] { QaGraphNames.StartLogits, QaGraphNames.EndLogits })
        {
            if (!session.OutputMetadata.ContainsKey(output))
            {
                throw new InputException(
                    $"{source}: the model has no output '{output}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
            }
        }
        HasEmbeddings = session.OutputMetadata.ContainsKey(QaGraphNames.ClsEmbedding)
            && session.OutputMetadata.ContainsKey(QaGraphNames.ContextMeanEmbedding);
    }

    /// <summary>True when the model outputs <c>cls_embedding</c> and <c>context_mean_embedding</c>.</summary>
    public bool HasEmbeddings { get; }

    /// <summary>Longest window the model accepts (max_position_embeddings); null for a user export, where it is unknown.</summary>
    public int? MaxSequenceLength { get; private init; }

    /// <summary>File name of a user's ONNX export inside a model folder.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>
    /// Opens a model folder: <c>config.json</c> + <c>model.safetensors</c> (the graph is built from them, in
    /// <paramref name="precision"/>), or else a user's export <c>model.onnx</c>, which runs as exported.
    /// </summary>
    /// <exception cref="InputException">No model in the folder, or int8 asked of a user's export.</exception>
    public static QaModelSession Open(
        string directory, int? threads = null, InferencePrecision precision = InferencePrecision.Fp32, CancellationToken cancellationToken = default)
    {
        if (CheckpointWeights.Exist(directory))
        {
            return FromModelDirectory(directory, threads, precision, cancellationToken);
        }
        var onnx = Path.Combine(directory, OnnxFileName);
        if (File.Exists(onnx))
        {
            if (precision != InferencePrecision.Fp32)
            {
                throw new InputException(
                    $"{onnx}: --precision {precision.Name()} needs a checkpoint ({EncoderConfig.FileName} + {CheckpointWeights.SafeTensorsFileName}) to build the graph from; a user's ONNX export runs as exported (--precision {InferencePrecisionNames.Fp32}).");
            }
            return FromOnnxFile(onnx, threads);
        }
        throw new InputException(
            $"{directory}: no model found: expected {CheckpointWeights.SafeTensorsFileName} or {CheckpointWeights.PyTorchFileName} with {EncoderConfig.FileName}, or {OnnxFileName}.");
    }

    /// <summary>Builds the ALBERT or BERT graph from <c>config.json</c> + <c>model.safetensors</c> in <paramref name="directory"/>.</summary>
    public static QaModelSession FromModelDirectory(
        string directory, int? threads = null, InferencePrecision precision = InferencePrecision.Fp32, CancellationToken cancellationToken = default) =>
        FromCheckpoint(QaCheckpoint.Load(directory), threads, directory, precision, cancellationToken: cancellationToken);

    /// <summary>Builds the inference graph of <paramref name="checkpoint"/> in <paramref name="precision"/>.</summary>
    /// <param name="source">What error messages name the model by.</param>
    /// <param name="int8Scheme">How an int8 graph multiplies (for measurements); null takes <see cref="Int8Schemes.Default"/>.</param>
    public static QaModelSession FromCheckpoint(QaCheckpoint checkpoint, int? threads = null, string source = "checkpoint",
        InferencePrecision precision = InferencePrecision.Fp32, Int8Scheme? int8Scheme = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var graph = QaGraphBuilder.BuildInference(checkpoint, precision: precision, int8Scheme: int8Scheme, cancellationToken: cancellationToken);
        return new(new InferenceSession(graph, CreateSessionOptions(threads)), source)
        {
            MaxSequenceLength = checkpoint.Config.MaxPositionEmbeddings,
        };
    }

    /// <summary>Loads a user's ONNX export for inference.</summary>
    public static QaModelSession FromOnnxFile(string path, int? threads = null)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: ONNX model not found.");
        }
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, CreateSessionOptions(threads));
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InputException($"{path}: ONNX Runtime cannot load the model: {ex.Message}", ex);
        }
        try
        {
            return new QaModelSession(session, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>All cores for intra-op parallelism and every graph optimisation (fusions, constant folding).</summary>
    public static SessionOptions CreateSessionOptions(int? threads = null) => new()
    {
        IntraOpNumThreads = threads ?? Environment.ProcessorCount,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>
    /// Runs every window and returns the outputs in the order of <paramref name="windows"/>. Windows are sorted by
    /// length and padded (right, id 0, mask 0) only to the longest window of their batch.
    /// </summary>
    public IReadOnlyList<QaWindowOutput> Run(
        IReadOnlyList<QaWindow> windows,
        QaRunOptions? options = null,
        IProgress<QaRunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windows);
        options ??= new QaRunOptions();
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be at least 1, got {options.BatchSize}.");
        }
        var fetchEmbeddings = options.IncludeEmbeddings && HasEmbeddings;
        var outputNames = new List<string> { QaGraphNames.StartLogits, QaGraphNames.EndLogits };
        if (fetchEmbeddings)
        {
            outputNames.AddRange([QaGraphNames.ClsEmbedding, QaGraphNames.ContextMeanEmbedding]);
        }
        var order = Enumerable.Range(0, windows.Count).OrderBy(i => windows[i].Length).ToArray();
        var results = new QaWindowOutput[windows.Count];
        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        for (var first = 0; first < order.Length; first += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(first, Math.Min(options.BatchSize, order.Length - first)).ToArray();
            RunBatch(windows, batch, outputNames, runOptions, fetchEmbeddings, results, cancellationToken);
            progress?.Report(new QaRunProgress(first + batch.Length, windows.Count));
        }
        return results;
    }

    private void RunBatch(
        IReadOnlyList<QaWindow> windows, int[] batch, List<string> outputNames, RunOptions runOptions, bool fetchEmbeddings,
        QaWindowOutput[] results, CancellationToken cancellationToken)
    {
        var padded = PaddedWindows.Pad(Array.ConvertAll(batch, i => windows[i]));
        var (ids, mask, types, width) = (padded.InputIds, padded.AttentionMask, padded.TokenTypeIds, padded.Width);
        var shape = padded.Shape;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        var inputs = new Dictionary<string, OrtValue>
        {
            [QaGraphNames.InputIds] = idsValue,
            [QaGraphNames.AttentionMask] = maskValue,
        };
        if (_takesTokenTypes)
        {
            inputs[QaGraphNames.TokenTypeIds] = typesValue;
        }
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = _session.Run(runOptions, inputs, outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        using (outputs)
        {
            var start = outputs[0].GetTensorDataAsSpan<float>();
            var end = outputs[1].GetTensorDataAsSpan<float>();
            var hidden = fetchEmbeddings ? (int)outputs[2].GetTensorTypeAndShape().Shape[1] : 0;
            for (var row = 0; row < batch.Length; row++)
            {
                var window = windows[batch[row]];
                float[]? cls = null, contextMean = null;
                if (fetchEmbeddings)
                {
                    cls = outputs[2].GetTensorDataAsSpan<float>().Slice(row * hidden, hidden).ToArray();
                    contextMean = outputs[3].GetTensorDataAsSpan<float>().Slice(row * hidden, hidden).ToArray();
                }
                var output = new QaWindowOutput(
                    window,
                    start.Slice(row * width, window.Length).ToArray(),
                    end.Slice(row * width, window.Length).ToArray(),
                    cls,
                    contextMean);
                RequireFinite(output);
                results[batch[row]] = output;
            }
        }
    }

    /// <summary>
    /// Finite weights can still overflow, and a user's ONNX export is not checked when loaded: a NaN or infinite output would
    /// turn into a garbage answer in <c>predict</c> and a run that cannot be stored (JSON has no NaN) in <c>analyze</c>, so it
    /// stops here, before anything is stored, naming the question, window and token.
    /// </summary>
    private void RequireFinite(QaWindowOutput output)
    {
        foreach (var (name, values) in new[]
                 {
                     (QaGraphNames.StartLogits, output.StartLogits), (QaGraphNames.EndLogits, output.EndLogits),
                     (QaGraphNames.ClsEmbedding, output.ClsEmbedding), (QaGraphNames.ContextMeanEmbedding, output.ContextMeanEmbedding),
                 })
        {
            var index = values is null ? -1 : Array.FindIndex(values, v => !float.IsFinite(v));
            if (index >= 0)
            {
                throw new InputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{_source}: the model's output '{name}' is {values![index]} for question '{output.Window.ExampleId}', window {output.Window.WindowIndex}, " +
                    $"position {index}; a model that computes NaN or infinite values gives meaningless answers, so nothing was stored."));
            }
        }
    }

    private void RequireInput(string source, string name)
    {
        if (!_session.InputMetadata.TryGetValue(name, out var metadata))
        {
            throw new InputException(
                $"{source}: the model has no input '{name}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)}).");
        }
        if (metadata.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64)
        {
            throw new InputException($"{source}: input '{name}' must be int64, the model declares {metadata.ElementDataType}.");
        }
    }

    public void Dispose() => _session.Dispose();
}
