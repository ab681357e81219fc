namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// A Hugging Face ALBERT or BERT QA model folder: <c>config.json</c> and <c>model.safetensors</c> (the tokenizer files
/// beside them are read by <see cref="Text.ModelTokenizer"/>).
/// Loading checks that every parameter exists with the shape the config implies.
/// </summary>
public sealed class QaCheckpoint
{
    /// <summary>The file <see cref="Save"/> writes (loading also takes <c>pytorch_model.bin</c>, see <see cref="CheckpointWeights"/>).</summary>
    public const string WeightsFileName = CheckpointWeights.SafeTensorsFileName;

    private readonly IReadOnlyDictionary<string, FloatTensor> _tensors;

    public QaCheckpoint(EncoderConfig config, IReadOnlyDictionary<string, FloatTensor> tensors, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        config.Validate(source);
        foreach (var (name, shape) in EncoderParameterNames.Expected(config))
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                throw new InputException($"{source}: missing tensor '{name}' (expected shape [{string.Join(", ", shape)}]).");
            }
            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new InputException(
                    $"{source}: tensor '{name}' has shape {tensor.ShapeText}, but config.json implies [{string.Join(", ", shape)}].");
            }
            RequireFinite(source, name, tensor);
        }
        Config = config;
        _tensors = tensors;
    }

    public EncoderConfig Config { get; }

    /// <summary>The tensor called <paramref name="name"/> (a Hugging Face parameter name).</summary>
    public FloatTensor this[string name] => _tensors[name];

    /// <summary>A NaN or infinite weight makes every logit it reaches NaN: answers would be garbage and a run could not be
    /// stored (JSON has no NaN), so such a checkpoint is refused before anything uses it, naming the first bad value.</summary>
    private static void RequireFinite(string source, string name, FloatTensor tensor)
    {
        var data = tensor.Data;
        var first = Array.FindIndex(data, v => !float.IsFinite(v));
        if (first < 0)
        {
            return;
        }
        var count = 0;
        for (var i = first; i < data.Length; i++)
        {
            count += float.IsFinite(data[i]) ? 0 : 1;
        }
        var position = new int[tensor.Shape.Length];
        for (int d = tensor.Shape.Length - 1, rest = first; d >= 0; d--)
        {
            position[d] = rest % tensor.Shape[d];
            rest /= tensor.Shape[d];
        }
        throw new InputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{source}: tensor '{name}' {tensor.ShapeText} holds {count:N0} non-finite value(s), the first {data[first]} at [{string.Join(", ", position)}]; " +
            $"a model with NaN or infinite weights gives meaningless answers (did its training diverge?)."));
    }

    /// <summary>Loads <c>config.json</c> and <c>model.safetensors</c> (or else <c>pytorch_model.bin</c>) from <paramref name="directory"/>.</summary>
    public static QaCheckpoint Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InputException($"{directory}: model folder not found.");
        }
        var config = EncoderConfig.Load(Path.Combine(directory, EncoderConfig.FileName));
        var weights = CheckpointWeights.Read(directory);
        return new QaCheckpoint(config, weights.Tensors, weights.Path);
    }

    /// <summary>Writes <c>config.json</c> and <c>model.safetensors</c> into <paramref name="directory"/>.</summary>
    /// <param name="halfPrecision">Store the weights as float16 (half the size; what a shipped model needs).</param>
    public void Save(string directory, bool halfPrecision = false)
    {
        Directory.CreateDirectory(directory);
        Config.Save(Path.Combine(directory, EncoderConfig.FileName));
        SafeTensors.Write(
            Path.Combine(directory, WeightsFileName),
            EncoderParameterNames.Expected(Config).ToDictionary(p => p.Name, p => _tensors[p.Name]),
            halfPrecision: halfPrecision);
    }

    /// <summary>A randomly initialised model (normal(0, <paramref name="scale"/>) weights, LayerNorm gains near 1),
    /// for tests and benchmarks.</summary>
    public static QaCheckpoint Random(EncoderConfig config, int seed, float scale = 0.2f)
    {
        ArgumentNullException.ThrowIfNull(config);
        var random = new Random(seed);
        var tensors = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in EncoderParameterNames.Expected(config))
        {
            var data = new float[FloatTensor.ElementCount(shape)];
            var isGain = name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) || name.EndsWith("layer_norm.weight", StringComparison.Ordinal);
            for (var i = 0; i < data.Length; i++)
            {
                // Box-Muller normal sample.
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                data[i] = (isGain ? 1f : 0f) + (float)(scale * normal);
            }
            tensors[name] = new FloatTensor(shape, data);
        }
        return new QaCheckpoint(config, tensors);
    }
}
