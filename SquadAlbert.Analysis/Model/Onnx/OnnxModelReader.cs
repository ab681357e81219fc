using System.Buffers.Binary;
using Google.Protobuf;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx.Proto;

namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>One node of an ONNX graph: its operator and the names of the values it reads and writes.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>
/// What can be read off an ONNX model without running it: its nodes in order, its float32 initializers and the
/// integer constants (initializers or <c>Constant</c> nodes) — enough to recover a checkpoint's weights and the
/// architecture facts that only the graph records (e.g. the head count in a Reshape).
/// </summary>
public sealed class OnnxModelReader
{
    private const int FloatType = 1;
    private const int Int64Type = 7;

    private OnnxModelReader(IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, FloatTensor> floats, IReadOnlyDictionary<string, long[]> integers)
    {
        Nodes = nodes;
        FloatInitializers = floats;
        IntegerConstants = integers;
    }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Float32 initializers and float constants by value name.</summary>
    public IReadOnlyDictionary<string, FloatTensor> FloatInitializers { get; }

    /// <summary>Int64 initializers and <c>Constant</c> node values by value name.</summary>
    public IReadOnlyDictionary<string, long[]> IntegerConstants { get; }

    /// <summary>Parses a serialized ONNX model; <paramref name="source"/> names it in errors.</summary>
    public static OnnxModelReader Read(byte[] model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InputException($"{source}: not an ONNX model ({ex.Message}).", ex);
        }
        if (proto.Graph is null)
        {
            throw new InputException($"{source}: the ONNX model has no graph.");
        }
        var floats = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
        var integers = new Dictionary<string, long[]>(StringComparer.Ordinal);
        void Add(string name, TensorProto tensor)
        {
            if (tensor.DataType == FloatType)
            {
                floats[name] = new FloatTensor(tensor.Dims.Select(d => checked((int)d)).ToArray(), FloatValues(tensor, source, name));
            }
            else if (tensor.DataType == Int64Type)
            {
                integers[name] = Int64Values(tensor);
            }
        }
        foreach (var initializer in proto.Graph.Initializer)
        {
            Add(initializer.Name, initializer);
        }
        var nodes = new List<OnnxNode>(proto.Graph.Node.Count);
        foreach (var node in proto.Graph.Node)
        {
            nodes.Add(new OnnxNode(node.OpType, [.. node.Input], [.. node.Output]));
            if (node.OpType == "Constant" && node.Output.Count == 1 && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value)
            {
                Add(node.Output[0], value);
            }
        }
        return new OnnxModelReader(nodes, floats, integers);
    }

    private static float[] FloatValues(TensorProto tensor, string source, string name)
    {
        var count = tensor.Dims.Aggregate(1L, (n, d) => checked(n * d));
        if (tensor.RawData.Length > 0)
        {
            if (tensor.RawData.Length != count * 4)
            {
                throw new InputException($"{source}: initializer '{name}' holds {tensor.RawData.Length} bytes for {count} float32 values.");
            }
            var raw = tensor.RawData.Span;
            var values = new float[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
            }
            return values;
        }
        if (tensor.FloatData.Count != count)
        {
            throw new InputException($"{source}: initializer '{name}' holds {tensor.FloatData.Count} float values for shape [{string.Join(", ", tensor.Dims)}].");
        }
        return [.. tensor.FloatData];
    }

    private static long[] Int64Values(TensorProto tensor)
    {
        if (tensor.RawData.Length == 0)
        {
            return [.. tensor.Int64Data];
        }
        var raw = tensor.RawData.Span;
        var values = new long[raw.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
        }
        return values;
    }
}
