using System.Buffers.Binary;
using Google.Protobuf;
using SquadAlbert.Analysis.Model.Onnx.Proto;

namespace SquadAlbert.Analysis.Model.Onnx;

/// <summary>The floating-point type a graph computes in: float32 for use, float64 for exact numerical checks.</summary>
public enum OnnxElementType
{
    SinglePrecision = 1,
    DoublePrecision = 11,
}

/// <summary>
/// Emits an ONNX model (IR version 9, default-domain opset 20: the first with a standard Gelu op) one node at a time. Every op helper returns the
/// name of the value it produces, so graph code reads like the math it implements.
/// </summary>
internal sealed class OnnxGraphWriter
{
    public const int OpsetVersion = 20;
    private const int IrVersion = 9;
    private const int Int64Type = 7;
    private const int Int8Type = 3;
    private const int UInt8Type = 2;

    /// <summary>ONNX Runtime's operator domain (its contrib ops, such as the fused integer matrix products).</summary>
    public const string MicrosoftDomain = "com.microsoft";
    private const int MicrosoftOpsetVersion = 1;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _counter;
    private bool _usesMicrosoftDomain;

    public OnnxGraphWriter(string name, OnnxElementType elementType)
    {
        _graph = new GraphProto { Name = name };
        ElementType = elementType;
    }

    public OnnxElementType ElementType { get; }

    /// <summary>The most negative finite value of <see cref="ElementType"/>: Hugging Face's additive mask value.</summary>
    public double MinValue => ElementType == OnnxElementType.SinglePrecision ? float.MinValue : double.MinValue;

    public string Input(string name, bool isInt64, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, isInt64 ? Int64Type : (int)ElementType, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as graph output <paramref name="name"/> (via Identity when renamed).</summary>
    public void Output(string value, string name, params object[] dims)
    {
        if (value != name)
        {
            Node("Identity", [value], name);
        }
        _graph.Output.Add(ValueInfo(name, (int)ElementType, dims));
    }

    /// <summary>Adds a weight once; later calls with the same name reuse it (shared ALBERT layers).</summary>
    public string Initializer(string name, ReadOnlySpan<float> data, params int[] dims)
    {
        if (!_initializers.Add(name))
        {
            return name;
        }
        var size = ElementType == OnnxElementType.SinglePrecision ? 4 : 8;
        var bytes = new byte[data.Length * size];
        for (var i = 0; i < data.Length; i++)
        {
            if (ElementType == OnnxElementType.SinglePrecision)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), data[i]);
            }
        }
        var tensor = new TensorProto { Name = name, DataType = (int)ElementType, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a signed 8-bit weight once (see <see cref="Initializer"/>).</summary>
    public string Int8Initializer(string name, ReadOnlySpan<sbyte> data, params int[] dims) =>
        ByteInitializer(name, Int8Type, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data), dims);

    private string ByteInitializer(string name, int dataType, ReadOnlySpan<byte> data, int[] dims)
    {
        if (!_initializers.Add(name))
        {
            return name;
        }
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A uint8 scalar constant (a quantisation zero point).</summary>
    public string UInt8Scalar(byte value) =>
        Constant($"u8_{value}", () => new TensorProto { DataType = UInt8Type, RawData = ByteString.CopyFrom(value) });

    public bool HasInitializer(string name) => _initializers.Contains(name);

    /// <summary>A scalar of the element type (shared between uses).</summary>
    public string Scalar(double value) => Constant($"c_{value:R}", () =>
    {
        var bytes = new byte[ElementType == OnnxElementType.SinglePrecision ? 4 : 8];
        if (ElementType == OnnxElementType.SinglePrecision)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value);
        }
        else
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        }
        return new TensorProto { DataType = (int)ElementType, RawData = ByteString.CopyFrom(bytes) };
    });

    /// <summary>An int64 vector constant (shapes, axes, indices).</summary>
    public string Ints(params long[] values) => Constant($"i_{string.Join('_', values)}", () => Int64Tensor(values, [values.Length]));

    /// <summary>An int64 scalar constant.</summary>
    public string IntScalar(long value) => Constant($"is_{value}", () => Int64Tensor([value], []));

    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes) =>
        NodeN(op, inputs, [output ?? Fresh(op)], attributes)[0];

    public string[] NodeN(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh("n_" + op) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A node of ONNX Runtime's <see cref="MicrosoftDomain"/>; an empty input name leaves an optional input out.</summary>
    public string MicrosoftNode(string op, string[] inputs, params AttributeProto[] attributes)
    {
        var output = Node(op, inputs, null, attributes);
        _graph.Node[^1].Domain = MicrosoftDomain;
        _usesMicrosoftDomain = true;
        return output;
    }

    public string Fresh(string hint) => $"{hint}_{_counter++}";

    public static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto StringAttr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto IntsAttr(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    // ---- Element-wise and shape ops used by the ALBERT graphs ----
    public string Add(string a, string b) => Node("Add", [a, b]);
    public string Sub(string a, string b) => Node("Sub", [a, b]);
    public string Mul(string a, string b) => Node("Mul", [a, b]);
    public string Div(string a, string b) => Node("Div", [a, b]);
    public string MatMul(string a, string b) => Node("MatMul", [a, b]);
    public string Unary(string op, string x) => Node(op, [x]);
    public string Transpose(string x, params long[] perm) => Node("Transpose", [x], null, IntsAttr("perm", perm));
    public string Reshape(string x, params long[] shape) => Node("Reshape", [x, Ints(shape)]);
    public string Unsqueeze(string x, params long[] axes) => Node("Unsqueeze", [x, Ints(axes)]);
    public string Squeeze(string x, params long[] axes) => Node("Squeeze", [x, Ints(axes)]);
    public string ReduceMean(string x, long axis, bool keepDims = true) =>
        Node("ReduceMean", [x, Ints(axis)], null, IntAttr("keepdims", keepDims ? 1 : 0));
    public string ReduceSum(string x, long axis, bool keepDims = true) =>
        Node("ReduceSum", [x, Ints(axis)], null, IntAttr("keepdims", keepDims ? 1 : 0));
    public string Softmax(string x, long axis = -1) => Node("Softmax", [x], null, IntAttr("axis", axis));
    public string CastToElement(string x) => Node("Cast", [x], null, IntAttr("to", (int)ElementType));
    public string Equal(string a, string b) => Node("Equal", [a, b]);
    public string Gather(string data, string indices, long axis = 0) => Node("Gather", [data, indices], null, IntAttr("axis", axis));

    /// <summary>The length of dimension <paramref name="axis"/> of <paramref name="x"/> as an int64 scalar.</summary>
    public string Dim(string x, long axis) => Node("Gather", [Node("Shape", [x]), IntScalar(axis)], null, IntAttr("axis", 0));

    /// <summary>0, 1, ..., n-1 as int64 (n an int64 scalar value).</summary>
    public string Range(string n) => Node("Range", [IntScalar(0), n, IntScalar(1)]);

    public byte[] ToBytes()
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SquadAlbert",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        if (_usesMicrosoftDomain)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = MicrosoftOpsetVersion });
        }
        return model.ToByteArray();
    }

    private string Constant(string key, Func<TensorProto> create)
    {
        if (_constants.TryGetValue(key, out var existing))
        {
            return existing;
        }
        var tensor = create();
        tensor.Name = Fresh("const");
        _graph.Initializer.Add(tensor);
        _constants[key] = tensor.Name;
        return tensor.Name;
    }

    private static TensorProto Int64Tensor(long[] values, long[] dims)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }
        var tensor = new TensorProto { DataType = Int64Type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"dimension {dim} must be a symbol (string) or a size (int).", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }
}
