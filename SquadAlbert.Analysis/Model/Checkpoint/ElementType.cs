using System.Buffers.Binary;

namespace SquadAlbert.Analysis.Model.Checkpoint;

/// <summary>
/// Element types of stored tensors, named as safetensors names them. Both checkpoint readers (safetensors and
/// PyTorch) hand every tensor out as float32, so the conversion lives here once.
/// </summary>
internal enum ElementType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}

internal static class ElementTypes
{
    public static int Size(ElementType type) => type switch
    {
        ElementType.F64 or ElementType.I64 => 8,
        ElementType.F32 or ElementType.I32 => 4,
        ElementType.F16 or ElementType.BF16 or ElementType.I16 => 2,
        _ => 1,
    };

    /// <summary>
    /// Converts <c>destination.Length</c> little-endian elements of <paramref name="raw"/> to float32. Float64 and
    /// integers beyond ±2^24 round to the nearest float32, as <c>tensor.float()</c> does.
    /// </summary>
    public static void ToFloat32(ReadOnlySpan<byte> raw, ElementType type, Span<float> destination)
    {
        var size = Size(type);
        if (raw.Length < destination.Length * (long)size)
        {
            throw new ArgumentException($"{destination.Length} {type} values need {destination.Length * (long)size} bytes, got {raw.Length}.", nameof(raw));
        }
        for (var i = 0; i < destination.Length; i++)
        {
            var at = raw[(i * size)..];
            destination[i] = type switch
            {
                ElementType.F32 => BinaryPrimitives.ReadSingleLittleEndian(at),
                ElementType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(at),
                // bfloat16 is the upper half of a float32.
                ElementType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(at) << 16),
                ElementType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(at),
                ElementType.I64 => BinaryPrimitives.ReadInt64LittleEndian(at),
                ElementType.I32 => BinaryPrimitives.ReadInt32LittleEndian(at),
                ElementType.I16 => BinaryPrimitives.ReadInt16LittleEndian(at),
                ElementType.I8 => (sbyte)at[0],
                ElementType.U8 => at[0],
                // torch writes bools as one byte, 0 or 1.
                _ => at[0] != 0 ? 1f : 0f,
            };
        }
    }
}
