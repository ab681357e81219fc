using System.Buffers.Binary;
using System.Text;

namespace SquadAlbert.Analysis.Text;

/// <summary>Type of one vocabulary entry, as numbered in <c>sentencepiece_model.proto</c>.</summary>
internal enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

internal readonly record struct SentencePieceEntry(string Piece, float Score, SentencePieceType Type);

/// <summary>
/// The parts of a SentencePiece <c>ModelProto</c> that tokenization depends on, read with a minimal protobuf
/// wire-format reader (field numbers from <c>sentencepiece_model.proto</c>), plus the one byte rewrite that
/// Microsoft.ML.Tokenizers needs before it will load an ALBERT model.
/// </summary>
internal sealed class SentencePieceModelFile
{
    private const int ModelPieces = 1, ModelTrainerSpec = 2, ModelNormalizerSpec = 3;
    private const int PiecePiece = 1, PieceScore = 2, PieceType = 3;
    private const int TrainerModelType = 3, TrainerTreatWhitespaceAsSuffix = 24, TrainerByteFallback = 35;
    private const int TrainerUnkId = 40, TrainerBosId = 41, TrainerEosId = 42, TrainerPadId = 43;
    private const int TrainerBosPiece = 46, TrainerEosPiece = 47;
    private const int NormalizerName = 1, NormalizerCharsmap = 2, NormalizerAddDummyPrefix = 3;
    private const int NormalizerRemoveExtraWhitespaces = 4, NormalizerEscapeWhitespaces = 5;
    private const int UnigramModelType = 1;

    private readonly byte[] _bytes;

    private SentencePieceModelFile(byte[] bytes, string source)
    {
        _bytes = bytes;
        Source = source;
    }

    public string Source { get; }
    public IReadOnlyList<SentencePieceEntry> Pieces { get; private set; } = [];
    public int ModelType { get; private set; } = UnigramModelType;
    public bool IsUnigram => ModelType == UnigramModelType;
    public bool TreatWhitespaceAsSuffix { get; private set; }
    public bool ByteFallback { get; private set; }
    public int UnkId { get; private set; }
    public int BosId { get; private set; } = 1;
    public int EosId { get; private set; } = 2;
    public int PadId { get; private set; } = -1;
    public string NormalizerRuleName { get; private set; } = "";
    public byte[] PrecompiledCharsmap { get; private set; } = [];
    public bool AddDummyPrefix { get; private set; } = true;
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    public bool EscapeWhitespaces { get; private set; } = true;

    /// <summary>Parses <paramref name="bytes"/>; <paramref name="source"/> names the file in error messages.</summary>
    public static SentencePieceModelFile Parse(byte[] bytes, string source)
    {
        var file = new SentencePieceModelFile(bytes, source);
        try
        {
            file.ReadModel();
        }
        catch (FormatException ex)
        {
            throw new InputException($"{source}: not a SentencePiece model ({ex.Message})", ex);
        }
        if (file.Pieces.Count == 0)
        {
            throw new InputException($"{source}: not a SentencePiece model (field 'pieces' is empty)");
        }
        return file;
    }

    public int IdOf(string piece)
    {
        for (var id = 0; id < Pieces.Count; id++)
        {
            if (Pieces[id].Piece == piece)
            {
                return id;
            }
        }
        return -1;
    }

    /// <summary>
    /// The model bytes with trainer_spec bos/eos ids (and pieces) replaced. Microsoft.ML.Tokenizers' unigram model
    /// (2.0.1, and still 3.0.0) indexes its id-to-piece table with bos_id and eos_id unconditionally, so ALBERT's
    /// bos_id = eos_id = -1 throws IndexOutOfRangeException in <c>SentencePieceTokenizer.Create</c>. (3.0.0's
    /// other overload, built from a list of pieces and scores, takes no piece types, so ALBERT's control pieces
    /// such as [CLS] would be segmented like words: no substitute.) Pointing them at real pieces
    /// ([CLS] and [SEP], which is what ALBERT uses as sentence start and end) avoids that; as we never ask the
    /// library to add BOS/EOS, segmentation is unchanged. The old fields stay in place: protobuf readers keep the
    /// last occurrence of a scalar field, so appending the new values is enough.
    /// </summary>
    public byte[] WithSentenceMarkers(int bosId, int eosId)
    {
        var extra = new List<byte>();
        WriteVarintField(extra, TrainerBosId, (ulong)bosId);
        WriteVarintField(extra, TrainerEosId, (ulong)eosId);
        WriteStringField(extra, TrainerBosPiece, Pieces[bosId].Piece);
        WriteStringField(extra, TrainerEosPiece, Pieces[eosId].Piece);

        var output = new List<byte>(_bytes.Length + extra.Count + 8);
        var reader = new WireReader(_bytes, 0, _bytes.Length);
        var sawTrainerSpec = false;
        while (!reader.AtEnd)
        {
            var fieldStart = reader.Position;
            var (field, wire) = reader.ReadTag();
            if (field == ModelTrainerSpec && wire == WireReader.LengthDelimited)
            {
                var (start, length) = reader.ReadLengthDelimited();
                WriteTag(output, ModelTrainerSpec, WireReader.LengthDelimited);
                WriteVarint(output, (ulong)(length + extra.Count));
                output.AddRange(_bytes.AsSpan(start, length));
                output.AddRange(extra);
                sawTrainerSpec = true;
            }
            else
            {
                reader.Skip(wire);
                output.AddRange(_bytes.AsSpan(fieldStart, reader.Position - fieldStart));
            }
        }
        if (!sawTrainerSpec)
        {
            WriteTag(output, ModelTrainerSpec, WireReader.LengthDelimited);
            WriteVarint(output, (ulong)extra.Count);
            output.AddRange(extra);
        }
        return [.. output];
    }

    private void ReadModel()
    {
        var pieces = new List<SentencePieceEntry>();
        var reader = new WireReader(_bytes, 0, _bytes.Length);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != WireReader.LengthDelimited || field is not (ModelPieces or ModelTrainerSpec or ModelNormalizerSpec))
            {
                reader.Skip(wire);
                continue;
            }
            var (start, length) = reader.ReadLengthDelimited();
            var inner = new WireReader(_bytes, start, start + length);
            switch (field)
            {
                case ModelPieces:
                    pieces.Add(ReadPiece(inner));
                    break;
                case ModelTrainerSpec:
                    ReadTrainerSpec(inner);
                    break;
                default:
                    ReadNormalizerSpec(inner);
                    break;
            }
        }
        Pieces = pieces;
    }

    private static SentencePieceEntry ReadPiece(WireReader reader)
    {
        var piece = "";
        var score = 0f;
        var type = SentencePieceType.Normal;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (PiecePiece, WireReader.LengthDelimited):
                    piece = reader.ReadString();
                    break;
                case (PieceScore, WireReader.Fixed32):
                    score = reader.ReadFloat();
                    break;
                case (PieceType, WireReader.Varint):
                    type = (SentencePieceType)reader.ReadInt32();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new SentencePieceEntry(piece, score, type);
    }

    private void ReadTrainerSpec(WireReader reader)
    {
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != WireReader.Varint)
            {
                reader.Skip(wire);
                continue;
            }
            var value = reader.ReadInt32();
            switch (field)
            {
                case TrainerModelType: ModelType = value; break;
                case TrainerTreatWhitespaceAsSuffix: TreatWhitespaceAsSuffix = value != 0; break;
                case TrainerByteFallback: ByteFallback = value != 0; break;
                case TrainerUnkId: UnkId = value; break;
                case TrainerBosId: BosId = value; break;
                case TrainerEosId: EosId = value; break;
                case TrainerPadId: PadId = value; break;
                default: break;
            }
        }
    }

    private void ReadNormalizerSpec(WireReader reader)
    {
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (NormalizerName, WireReader.LengthDelimited):
                    NormalizerRuleName = reader.ReadString();
                    break;
                case (NormalizerCharsmap, WireReader.LengthDelimited):
                    var (start, length) = reader.ReadLengthDelimited();
                    PrecompiledCharsmap = _bytes.AsSpan(start, length).ToArray();
                    break;
                case (NormalizerAddDummyPrefix, WireReader.Varint):
                    AddDummyPrefix = reader.ReadInt32() != 0;
                    break;
                case (NormalizerRemoveExtraWhitespaces, WireReader.Varint):
                    RemoveExtraWhitespaces = reader.ReadInt32() != 0;
                    break;
                case (NormalizerEscapeWhitespaces, WireReader.Varint):
                    EscapeWhitespaces = reader.ReadInt32() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static void WriteVarintField(List<byte> output, int field, ulong value)
    {
        WriteTag(output, field, WireReader.Varint);
        WriteVarint(output, value);
    }

    private static void WriteStringField(List<byte> output, int field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteTag(output, field, WireReader.LengthDelimited);
        WriteVarint(output, (ulong)bytes.Length);
        output.AddRange(bytes);
    }

    private static void WriteTag(List<byte> output, int field, int wire) => WriteVarint(output, ((ulong)field << 3) | (uint)wire);

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Protobuf wire-format cursor over a slice of the model bytes; throws FormatException on truncation.</summary>
    private sealed class WireReader(byte[] bytes, int start, int end)
    {
        public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

        public int Position { get; private set; } = start;
        public bool AtEnd => Position >= end;

        public (int Field, int Wire) ReadTag()
        {
            var tag = ReadVarint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        // int32 fields are sign-extended to 64 bits on the wire, so truncation restores negative values.
        public int ReadInt32() => unchecked((int)ReadVarint());

        public float ReadFloat()
        {
            Require(4);
            var value = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(Position, 4));
            Position += 4;
            return value;
        }

        public string ReadString()
        {
            var (stringStart, length) = ReadLengthDelimited();
            return Encoding.UTF8.GetString(bytes, stringStart, length);
        }

        public (int Start, int Length) ReadLengthDelimited()
        {
            var length = ReadVarint();
            if (length > (ulong)(end - Position))
            {
                throw new FormatException($"field of {length} bytes runs past the end at byte {Position}");
            }
            var result = (Position, (int)length);
            Position += (int)length;
            return result;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case Varint: ReadVarint(); break;
                case Fixed64: Require(8); Position += 8; break;
                case LengthDelimited: ReadLengthDelimited(); break;
                case Fixed32: Require(4); Position += 4; break;
                default: throw new FormatException($"unknown wire type {wire} at byte {Position}");
            }
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                Require(1);
                var b = bytes[Position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
            throw new FormatException($"varint longer than 10 bytes at byte {Position}");
        }

        private void Require(int count)
        {
            if (end - Position < count)
            {
                throw new FormatException($"truncated at byte {Position}");
            }
        }
    }
}
