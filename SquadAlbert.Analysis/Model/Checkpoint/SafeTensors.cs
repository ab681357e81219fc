using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>A dense float32 tensor in row-major order.</summary>
public sealed class FloatTensor
{
    public FloatTensor(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (ElementCount(shape) != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {ElementCount(shape)} values, got {data.Length}.", nameof(data));
        }
        Shape = shape;
        Data = data;
    }

    public int[] Shape { get; }

    public float[] Data { get; }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>The transpose of a matrix: [rows, cols] → [cols, rows] (e.g. Hugging Face's [out, in] ↔ ONNX's [in, out]).</summary>
    public FloatTensor Transposed()
    {
        if (Shape.Length != 2)
        {
            throw new InvalidOperationException($"only a matrix can be transposed, this tensor has shape {ShapeText}.");
        }
        var (rows, cols) = (Shape[0], Shape[1]);
        var transposed = new float[Data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                transposed[c * rows + r] = Data[r * cols + c];
            }
        }
        return new FloatTensor([cols, rows], transposed);
    }

    /// <summary>The number of values of <paramref name="shape"/>; a negative dimension or a count beyond
    /// <see cref="long"/> (a hostile header) throws instead of wrapping around to a small number.</summary>
    public static long ElementCount(IEnumerable<int> shape) => shape.Aggregate(1L, (n, d) => d < 0
        ? throw new OverflowException($"negative dimension {d}")
        : checked(n * d));
}

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}</c>, then the raw little-endian bytes.
/// Reading converts F32, F16 and BF16 to float32; writing emits F32 or F16.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Reads every tensor of <paramref name="path"/>; errors name the file, the tensor and the field.</summary>
    public static IReadOnlyDictionary<string, FloatTensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: safetensors file not found.");
        }
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new InputException($"{path}: truncated: {bytes.Length} bytes, fewer than the 8-byte header length.");
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InputException($"{path}: truncated or not safetensors: header length {headerLength} exceeds the {bytes.Length - 8} bytes after it.");
        }
        var dataStart = 8 + (long)headerLength;
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException ex)
        {
            throw new InputException($"{path}: bad header: not valid JSON ({ex.Message}).", ex);
        }
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"{path}: bad header: expected a JSON object.");
            }
            var tensors = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    continue;
                }
                tensors[entry.Name] = ReadTensor(path, entry, bytes, dataStart);
            }
            return tensors;
        }
    }

    /// <summary>Writes tensors (names sorted, data packed in that order) with optional string metadata, as float32
    /// or, with <paramref name="halfPrecision"/>, as float16 (half the size; for shipping weights, not for training state).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, FloatTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null,
        bool halfPrecision = false)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var elementSize = halfPrecision ? 2 : sizeof(float);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 })
        {
            header[MetadataKey] = metadata;
        }
        long offset = 0;
        foreach (var name in names)
        {
            var tensor = tensors[name];
            var size = (long)tensor.Data.Length * elementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = halfPrecision ? "F16" : "F32",
                ["shape"] = tensor.Shape,
                ["data_offsets"] = new[] { offset, offset + size },
            };
            offset += size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The format recommends padding the header with spaces to an 8-byte boundary so the data is aligned.
        var padded = (headerBytes.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(headerBytes);
        for (var i = headerBytes.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }
        foreach (var name in names)
        {
            var data = tensors[name].Data;
            var buffer = new byte[data.Length * elementSize];
            for (var i = 0; i < data.Length; i++)
            {
                if (halfPrecision)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(buffer.AsSpan(i * 2), (Half)data[i]);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), data[i]);
                }
            }
            stream.Write(buffer);
        }
    }

    private static FloatTensor ReadTensor(string path, JsonProperty entry, byte[] bytes, long dataStart)
    {
        var where = $"{path}: tensor '{entry.Name}'";
        var info = entry.Value;
        if (info.ValueKind != JsonValueKind.Object
            || !info.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !info.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !info.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new InputException($"{where}: bad header entry: needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" ([begin, end]).");
        }
        var dtype = dtypeElement.GetString()!;
        var elementType = dtype switch
        {
            "F32" => ElementType.F32,
            "F16" => ElementType.F16,
            "BF16" => ElementType.BF16,
            _ => throw new InputException($"{where}: field 'dtype' is \"{dtype}\"; supported: F32, F16, BF16."),
        };
        var elementSize = ElementTypes.Size(elementType);
        var shape = new int[shapeElement.GetArrayLength()];
        var d = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out shape[d]) || shape[d] < 0)
            {
                throw new InputException($"{where}: field 'shape' entry {d} is {dim.GetRawText()}, not a non-negative integer.");
            }
            d++;
        }
        var offsets = offsetsElement.EnumerateArray().Select(o => o.TryGetInt64(out var v) ? v : -1).ToArray();
        var (begin, end) = (offsets[0], offsets[1]);
        long count;
        try
        {
            count = FloatTensor.ElementCount(shape);
        }
        catch (OverflowException)
        {
            throw new InputException($"{where}: field 'shape' [{string.Join(", ", shape)}] has more values than any file can hold.");
        }
        if (begin < 0 || end < begin || end - begin != count * elementSize)
        {
            throw new InputException(
                $"{where}: field 'data_offsets' [{begin}, {end}] does not hold {count} {dtype} values of shape [{string.Join(", ", shape)}].");
        }
        if (dataStart + end > bytes.Length)
        {
            throw new InputException(
                $"{where}: truncated file: data ends at byte {dataStart + end} but the file has {bytes.Length} bytes.");
        }
        var values = new float[count];
        ElementTypes.ToFloat32(bytes.AsSpan((int)(dataStart + begin), (int)(end - begin)), elementType, values);
        return new FloatTensor(shape, values);
    }
}
