using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>One loss-gradient evaluation: a window, the input embeddings to use for its tokens
/// ([Length × EmbeddingSize], row-major; e.g. a point on an integrated-gradients path) and the gold span.</summary>
public sealed record InputGradientRequest(QaWindow Window, float[] InputsEmbeds, int StartPosition, int EndPosition);

/// <summary>The model outputs at a request and the gradient of the session's <see cref="InputGradientTarget"/> w.r.t. the
/// request's input embeddings ([Length × EmbeddingSize]).</summary>
public sealed record InputGradientResult(float[] StartLogits, float[] EndLogits, float Loss, float[] InputsEmbedsGrad)
{
    /// <summary>The differentiated scalar: the loss, or the start/end logit at the request's position (in the graph's
    /// precision, so float64 graphs keep it exact enough for finite differences and completeness checks).</summary>
    public double TargetValue { get; init; }
}

/// <summary>
/// Runs the input-gradient graph of <see cref="QaGraphBuilder.BuildInputGradient"/>: the per-example QA loss
/// (mean of start and end cross-entropy over the window's tokens) and d target / d inputs_embeds, computed by the
/// hand-written backward pass inside the ONNX graph. The target is the loss unless another is chosen; a float64 graph
/// (inputs and outputs still float32 here) trades speed for gradients free of float32 rounding inside the network.
/// </summary>
public sealed class InputGradientSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly FloatTensor _wordEmbeddings;

    public InputGradientSession(
        QaCheckpoint checkpoint,
        int? threads = null,
        InputGradientTarget target = InputGradientTarget.Loss,
        OnnxElementType elementType = OnnxElementType.SinglePrecision)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _wordEmbeddings = checkpoint[checkpoint.Config.ParameterNames.WordEmbeddings];
        EmbeddingSize = checkpoint.Config.EmbeddingSize;
        Target = target;
        ElementType = elementType;
        _session = new InferenceSession(
            QaGraphBuilder.BuildInputGradient(checkpoint, elementType, target), QaModelSession.CreateSessionOptions(threads));
    }

    public int EmbeddingSize { get; }

    /// <summary>What <see cref="InputGradientResult.InputsEmbedsGrad"/> is the gradient of.</summary>
    public InputGradientTarget Target { get; }

    /// <summary>The precision the graph computes in.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The word-embedding row of one vocabulary id ([EmbeddingSize]).</summary>
    public ReadOnlySpan<float> EmbeddingOf(int id) => _wordEmbeddings.Data.AsSpan(id * EmbeddingSize, EmbeddingSize);

    /// <summary>The word-embedding rows of the window's tokens ([Length × EmbeddingSize]): the model's actual input.</summary>
    public float[] Embed(QaWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var result = new float[window.Length * EmbeddingSize];
        for (var t = 0; t < window.Length; t++)
        {
            _wordEmbeddings.Data.AsSpan(window.InputIds[t] * EmbeddingSize, EmbeddingSize).CopyTo(result.AsSpan(t * EmbeddingSize));
        }
        return result;
    }

    /// <summary>Evaluates the requests in batches of <paramref name="batchSize"/> (padded per batch); results in request order.</summary>
    public IReadOnlyList<InputGradientResult> Run(IReadOnlyList<InputGradientRequest> requests, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var results = new List<InputGradientResult>(requests.Count);
        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        for (var first = 0; first < requests.Count; first += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.AddRange(RunBatch(requests.Skip(first).Take(batchSize).ToList(), runOptions));
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        return results;
    }

    private List<InputGradientResult> RunBatch(List<InputGradientRequest> batch, RunOptions runOptions)
    {
        var e = EmbeddingSize;
        var padded = PaddedWindows.Pad(batch.ConvertAll(r => r.Window));
        var (mask, types, width) = (padded.AttentionMask, padded.TokenTypeIds, padded.Width);
        var embeds = new float[batch.Count * width * e];
        var starts = new long[batch.Count];
        var ends = new long[batch.Count];
        for (var row = 0; row < batch.Count; row++)
        {
            var (window, inputs) = (batch[row].Window, batch[row].InputsEmbeds);
            if (inputs.Length != window.Length * e)
            {
                throw new ArgumentException($"window {window.ExampleId}#{window.WindowIndex}: {inputs.Length} embedding values, expected {window.Length} × {e}.", nameof(batch));
            }
            if (!IsToken(batch[row].StartPosition, window) || !IsToken(batch[row].EndPosition, window))
            {
                throw new ArgumentException($"window {window.ExampleId}#{window.WindowIndex}: gold positions outside its {window.Length} tokens.", nameof(batch));
            }
            inputs.CopyTo(embeds.AsSpan(row * width * e));
            starts[row] = batch[row].StartPosition;
            ends[row] = batch[row].EndPosition;
        }
        long[] embedsShape = [batch.Count, width, e];
        using var embedsValue = ElementType == OnnxElementType.DoublePrecision
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(embeds, v => (double)v), embedsShape)
            : OrtValue.CreateTensorValueFromMemory(embeds, embedsShape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch.Count, width]);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, [batch.Count, width]);
        using var startsValue = OrtValue.CreateTensorValueFromMemory(starts, [batch.Count]);
        using var endsValue = OrtValue.CreateTensorValueFromMemory(ends, [batch.Count]);
        var inputsByName = new Dictionary<string, OrtValue>
        {
            [QaGraphNames.InputsEmbeds] = embedsValue,
            [QaGraphNames.AttentionMask] = maskValue,
            [QaGraphNames.TokenTypeIds] = typesValue,
            [QaGraphNames.StartPositions] = startsValue,
            [QaGraphNames.EndPositions] = endsValue,
        };
        using var outputs = _session.Run(runOptions, inputsByName,
            [QaGraphNames.StartLogits, QaGraphNames.EndLogits, QaGraphNames.Loss, QaGraphNames.InputsEmbedsGrad]);
        var start = ReadDoubles(outputs[0]);
        var end = ReadDoubles(outputs[1]);
        var loss = ReadDoubles(outputs[2]);
        var grad = ReadFloats(outputs[3]);
        var results = new List<InputGradientResult>(batch.Count);
        for (var row = 0; row < batch.Count; row++)
        {
            var length = batch[row].Window.Length;
            results.Add(new InputGradientResult(
                Array.ConvertAll(start[(row * width)..(row * width + length)], v => (float)v),
                Array.ConvertAll(end[(row * width)..(row * width + length)], v => (float)v),
                (float)loss[row],
                grad.AsSpan(row * width * e, length * e).ToArray())
            {
                TargetValue = Target switch
                {
                    InputGradientTarget.StartLogit => start[row * width + batch[row].StartPosition],
                    InputGradientTarget.EndLogit => end[row * width + batch[row].EndPosition],
                    _ => loss[row],
                },
            });
        }
        return results;
    }

    private double[] ReadDoubles(OrtValue value) => ElementType == OnnxElementType.DoublePrecision
        ? value.GetTensorDataAsSpan<double>().ToArray()
        : Array.ConvertAll(value.GetTensorDataAsSpan<float>().ToArray(), v => (double)v);

    private float[] ReadFloats(OrtValue value) => ElementType == OnnxElementType.DoublePrecision
        ? Array.ConvertAll(value.GetTensorDataAsSpan<double>().ToArray(), v => (float)v)
        : value.GetTensorDataAsSpan<float>().ToArray();

    private static bool IsToken(int position, QaWindow window) => position >= 0 && position < window.Length;

    public void Dispose() => _session.Dispose();
}
