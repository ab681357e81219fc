using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;

namespace SquadAlbert.Training.Import;

/// <summary>A BERT encoder recovered from an ONNX export: its architecture and its backbone tensors by Hugging Face name.</summary>
public sealed record ImportedEncoder(EncoderConfig Config, IReadOnlyDictionary<string, FloatTensor> Backbone);

/// <summary>
/// Recovers a Hugging Face <c>BertModel</c> from a PyTorch ONNX export of it (as sentence-transformers ship them).
/// Embeddings, biases and LayerNorms keep their Hugging Face names (without the <c>bert.</c> prefix); the linear
/// weights are anonymous initializers, each the second input of a <c>MatMul</c> whose output an <c>Add</c> with the
/// named bias consumes — that bias names the weight. They are stored [in, out]; Hugging Face keeps [out, in].
/// The head count, which no tensor shape records, is read from the Reshape that splits the heads.
/// </summary>
public static class BertOnnxImport
{
    private const string Prefix = "bert.";

    public static ImportedEncoder Import(OnnxModelReader onnx, string source)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        var floats = onnx.FloatInitializers;
        var tensors = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in floats)
        {
            if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal))
            {
                tensors[Prefix + name] = tensor;
            }
        }
        var consumers = onnx.Nodes.SelectMany(n => n.Inputs.Select(i => (Input: i, Node: n))).ToLookup(p => p.Input, p => p.Node);
        foreach (var matMul in onnx.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2 && floats.ContainsKey(n.Inputs[1])))
        {
            var bias = consumers[matMul.Outputs[0]]
                .Where(n => n.OpType == "Add")
                .SelectMany(n => n.Inputs)
                .FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && floats.ContainsKey(i));
            if (bias is null || !bias.StartsWith("encoder.", StringComparison.Ordinal))
            {
                continue;
            }
            tensors[Prefix + bias[..^".bias".Length] + ".weight"] = floats[matMul.Inputs[1]].Transposed();
        }

        var names = EncoderParameterNames.For(ModelFamily.Bert);
        FloatTensor Tensor(string name) => tensors.TryGetValue(name, out var t)
            ? t : throw new InputException($"{source}: no tensor for '{name}' found in the ONNX graph; is it a BERT export?");
        var word = Tensor(names.WordEmbeddings);
        var layers = tensors.Keys
            .Where(k => k.StartsWith("bert.encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[3], CultureInfo.InvariantCulture))
            .Distinct().Count();
        var hidden = word.Shape[1];
        var config = EncoderConfig.Bert(
            vocabSize: word.Shape[0],
            hiddenSize: hidden,
            numHiddenLayers: layers,
            numAttentionHeads: Heads(onnx, hidden, source),
            intermediateSize: Tensor(names.Layer(0, 0).Intermediate + ".bias").Shape[0],
            hiddenAct: onnx.Nodes.Any(n => n.OpType == "Erf") ? EncoderActivation.GeluErf : EncoderActivation.GeluTanh,
            maxPositionEmbeddings: Tensor(names.PositionEmbeddings).Shape[0],
            typeVocabSize: Tensor(names.TokenTypeEmbeddings).Shape[0],
            layerNormEps: LayerNormEpsilon(onnx, consumers, source));
        config.Validate(source);
        var backbone = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in EncoderParameterNames.Expected(config).Where(p => p.Name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var tensor = Tensor(name);
            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new InputException($"{source}: '{name}' has shape {tensor.ShapeText}, expected [{string.Join(", ", shape)}].");
            }
            backbone[name] = tensor;
        }
        return new ImportedEncoder(config, backbone);
    }

    /// <summary>
    /// The heads of the Reshape to [batch, seq, heads, head_size] with heads × head_size = hidden: its shape is either
    /// a constant, or (PyTorch's export of <c>x.size()[:-1] + (heads, head_size)</c>) a Concat ending in two constants.
    /// </summary>
    private static int Heads(OnnxModelReader onnx, int hidden, string source)
    {
        var producers = Producers(onnx);
        long[]? Shape(string value)
        {
            if (onnx.IntegerConstants.TryGetValue(value, out var constant))
            {
                return constant;
            }
            if (producers.TryGetValue(value, out var concat) && concat.OpType == "Concat" && concat.Inputs.Count == 4)
            {
                var tail = concat.Inputs.Skip(2).Select(i => onnx.IntegerConstants.GetValueOrDefault(i)).ToArray();
                return tail.All(t => t is { Length: 1 }) ? [0, 0, tail[0]![0], tail[1]![0]] : null;
            }
            return null;
        }
        var candidates = onnx.Nodes
            .Where(n => n.OpType == "Reshape" && n.Inputs.Count == 2)
            .Select(n => Shape(n.Inputs[1]))
            .Where(s => s is { Length: 4 } && s[2] > 0 && s[3] > 0 && s[2] * s[3] == hidden)
            .Select(s => (int)s![2])
            .Distinct()
            .ToArray();
        return candidates.Length == 1
            ? candidates[0]
            : throw new InputException($"{source}: cannot read the attention head count from the graph (found {candidates.Length} head splits).");
    }

    private static Dictionary<string, OnnxNode> Producers(OnnxModelReader onnx) =>
        onnx.Nodes.SelectMany(n => n.Outputs.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);

    /// <summary>The ε of the decomposed LayerNorm: the scalar added to the variance (a ReduceMean) before Sqrt.</summary>
    private static double LayerNormEpsilon(OnnxModelReader onnx, ILookup<string, OnnxNode> consumers, string source)
    {
        var producers = Producers(onnx);
        var values = onnx.Nodes
            .Where(n => n.OpType == "Add" && n.Inputs.Count == 2
                && producers.TryGetValue(n.Inputs[0], out var p) && p.OpType == "ReduceMean"
                && consumers[n.Outputs[0]].Any(c => c.OpType == "Sqrt")
                && onnx.FloatInitializers.TryGetValue(n.Inputs[1], out var e) && e.Data.Length == 1)
            // As written in the config (1e-12), not the nearest double of the stored float32.
            .Select(n => double.Parse(onnx.FloatInitializers[n.Inputs[1]].Data[0].ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
            .Distinct()
            .ToArray();
        return values.Length == 1
            ? values[0]
            : throw new InputException($"{source}: cannot read the LayerNorm epsilon from the graph (found {values.Length} candidates).");
    }
}
