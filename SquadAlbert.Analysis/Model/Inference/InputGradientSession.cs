using Microsoft.ML.OnnxRuntime;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Model.Inference;

/// <summary>One loss-gradient evaluation: a window, the input embeddings to use for its tokens
/// ([Length × EmbeddingSize], row-major; e.g. a point on an integrated-gradients path) and the gold span.</summary>
public sealed record InputGradientRequest(QaWindow Window, float[] InputsEmbeds, int StartPosition, int EndPosition);

/// <summary>The QA loss at a request and its gradient w.r.t. the request's input embeddings ([Length × EmbeddingSize]).</summary>
public sealed record InputGradientResult(float[] StartLogits, float[] EndLogits, float Loss, float[] InputsEmbedsGrad);

/// <summary>
/// Runs the input-gradient graph of <see cref="AlbertGraphBuilder.BuildInputGradient"/>: the per-example QA loss
/// (mean of start and end cross-entropy over the window's tokens) and d loss / d inputs_embeds, computed by the
/// hand-written backward pass inside the ONNX graph.
/// </summary>
public sealed class InputGradientSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly FloatTensor _wordEmbeddings;

    public InputGradientSession(AlbertCheckpoint checkpoint, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _wordEmbeddings = checkpoint[AlbertParameterNames.WordEmbeddings];
        EmbeddingSize = checkpoint.Config.EmbeddingSize;
        _session = new InferenceSession(AlbertGraphBuilder.BuildInputGradient(checkpoint), QaModelSession.CreateSessionOptions(threads));
    }

    public int EmbeddingSize { get; }

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
        for (var first = 0; first < requests.Count; first += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.AddRange(RunBatch(requests.Skip(first).Take(batchSize).ToList()));
        }
        return results;
    }

    private List<InputGradientResult> RunBatch(List<InputGradientRequest> batch)
    {
        var e = EmbeddingSize;
        var width = batch.Max(r => r.Window.Length);
        var embeds = new float[batch.Count * width * e];
        var mask = new long[batch.Count * width];
        var types = new long[mask.Length];
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
            for (var t = 0; t < window.Length; t++)
            {
                mask[row * width + t] = 1;
                types[row * width + t] = window.TokenTypeIds[t];
            }
            starts[row] = batch[row].StartPosition;
            ends[row] = batch[row].EndPosition;
        }
        using var embedsValue = OrtValue.CreateTensorValueFromMemory(embeds, [batch.Count, width, e]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch.Count, width]);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, [batch.Count, width]);
        using var startsValue = OrtValue.CreateTensorValueFromMemory(starts, [batch.Count]);
        using var endsValue = OrtValue.CreateTensorValueFromMemory(ends, [batch.Count]);
        var inputsByName = new Dictionary<string, OrtValue>
        {
            [AlbertGraphNames.InputsEmbeds] = embedsValue,
            [AlbertGraphNames.AttentionMask] = maskValue,
            [AlbertGraphNames.TokenTypeIds] = typesValue,
            [AlbertGraphNames.StartPositions] = startsValue,
            [AlbertGraphNames.EndPositions] = endsValue,
        };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputsByName,
            [AlbertGraphNames.StartLogits, AlbertGraphNames.EndLogits, AlbertGraphNames.Loss, AlbertGraphNames.InputsEmbedsGrad]);
        var start = outputs[0].GetTensorDataAsSpan<float>();
        var end = outputs[1].GetTensorDataAsSpan<float>();
        var loss = outputs[2].GetTensorDataAsSpan<float>();
        var grad = outputs[3].GetTensorDataAsSpan<float>();
        var results = new List<InputGradientResult>(batch.Count);
        for (var row = 0; row < batch.Count; row++)
        {
            var length = batch[row].Window.Length;
            results.Add(new InputGradientResult(
                start.Slice(row * width, length).ToArray(),
                end.Slice(row * width, length).ToArray(),
                loss[row],
                grad.Slice(row * width * e, length * e).ToArray()));
        }
        return results;
    }

    private static bool IsToken(int position, QaWindow window) => position >= 0 && position < window.Length;

    public void Dispose() => _session.Dispose();
}
