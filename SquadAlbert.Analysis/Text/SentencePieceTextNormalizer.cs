using System.Buffers.Binary;
using System.Text;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// SentencePiece's own normalization (<c>normalizer.cc</c> of sentencepiece 0.1.x), reimplemented so every
/// normalized char keeps its origin: the precompiled charsmap (a darts-clone double-array trie of UTF-8 rules,
/// e.g. nmt_nfkc) applied by longest prefix match, then whitespace handling (drop leading, trailing and repeated
/// spaces, add the dummy-prefix space, write spaces as U+2581).
/// Microsoft.ML.Tokenizers normalizes the same way but reports token offsets only in the normalized text, so
/// <see cref="AlbertTokenizer"/> normalizes here and lets the library segment the result as is.
/// Spaces in the output carry an empty origin (they stand for no text) placed where the next word starts.
/// </summary>
internal sealed class SentencePieceTextNormalizer
{
    private static ReadOnlySpan<byte> SpaceSymbol => "\u2581"u8;
    private const int MaxTrieResults = 32; // sentencepiece caps common-prefix results at 32; the longest wins
    private static readonly byte[] ReplacementCharacter = [0xEF, 0xBF, 0xBD];

    private readonly uint[] _trie;
    private readonly byte[] _replacements;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _escapeWhitespaces;

    public SentencePieceTextNormalizer(byte[] precompiledCharsmap, bool addDummyPrefix, bool removeExtraWhitespaces, bool escapeWhitespaces, string source)
    {
        ArgumentNullException.ThrowIfNull(precompiledCharsmap);
        _addDummyPrefix = addDummyPrefix;
        _removeExtraWhitespaces = removeExtraWhitespaces;
        _escapeWhitespaces = escapeWhitespaces;
        if (precompiledCharsmap.Length == 0)
        {
            _trie = [];
            _replacements = [];
            return;
        }
        // Blob layout: uint32 trie size in bytes, the trie's 32-bit units, then the NUL-terminated replacement strings.
        var trieSize = precompiledCharsmap.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(precompiledCharsmap) : uint.MaxValue;
        if (trieSize >= (uint)precompiledCharsmap.Length - 4 || trieSize % 4 != 0)
        {
            throw new InputException($"{source}: normalizer_spec.precompiled_charsmap is corrupt (trie size {trieSize} of {precompiledCharsmap.Length} bytes)");
        }
        _trie = new uint[trieSize / 4];
        for (var i = 0; i < _trie.Length; i++)
        {
            _trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(precompiledCharsmap.AsSpan(4 + (i * 4)));
        }
        _replacements = precompiledCharsmap.AsSpan(4 + (int)trieSize).ToArray();
    }

    public AlignedText Normalize(AlignedText input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = Encoding.UTF8.GetBytes(input.Text);
        var charOfByte = CharIndexOfEachByte(input.Text, bytes.Length);
        var output = new List<byte>(bytes.Length + 8);
        var origins = new List<CharSpan>(bytes.Length + 8);

        CharSpan OriginOf(int byteStart, int byteEnd) => input.ToOriginal(charOfByte[byteStart], charOfByte[byteEnd - 1] + 1);

        void AddSpace(int at)
        {
            var origin = new CharSpan(at, at);
            if (_escapeWhitespaces)
            {
                output.AddRange(SpaceSymbol);
                origins.AddRange([origin, origin, origin]);
            }
            else
            {
                output.Add((byte)' ');
                origins.Add(origin);
            }
        }

        var position = 0;
        if (_removeExtraWhitespaces)
        {
            while (position < bytes.Length)
            {
                var consumed = NormalizePrefix(bytes, position, out var replacement);
                if (!replacement.SequenceEqual(" "u8))
                {
                    break;
                }
                position += consumed;
            }
        }
        if (position == bytes.Length)
        {
            return new AlignedTextBuilder(0).Build();
        }
        if (_addDummyPrefix)
        {
            AddSpace(OriginOf(position, position + 1).Start);
        }
        var previousEndsWithSpace = _removeExtraWhitespaces;
        while (position < bytes.Length)
        {
            var consumed = NormalizePrefix(bytes, position, out var replacement);
            var origin = OriginOf(position, position + consumed);
            while (previousEndsWithSpace && replacement.Length > 0 && replacement[0] == (byte)' ')
            {
                replacement = replacement[1..];
            }
            if (replacement.Length > 0)
            {
                foreach (var b in replacement)
                {
                    if (b == (byte)' ')
                    {
                        AddSpace(origin.End);
                    }
                    else
                    {
                        output.Add(b);
                        origins.Add(origin);
                    }
                }
                previousEndsWithSpace = replacement[^1] == (byte)' ';
            }
            position += consumed;
            if (!_removeExtraWhitespaces)
            {
                previousEndsWithSpace = false;
            }
        }
        if (_removeExtraWhitespaces)
        {
            var space = _escapeWhitespaces ? SpaceSymbol : " "u8;
            while (output.Count >= space.Length && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[^space.Length..].SequenceEqual(space))
            {
                output.RemoveRange(output.Count - space.Length, space.Length);
                origins.RemoveRange(origins.Count - space.Length, space.Length);
            }
        }
        return ToAlignedText(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output), origins);
    }

    private static int[] CharIndexOfEachByte(string text, int byteCount)
    {
        var result = new int[byteCount];
        var b = 0;
        var c = 0;
        while (c < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(c), out var rune, out var chars);
            for (var k = 0; k < rune.Utf8SequenceLength; k++)
            {
                result[b++] = c;
            }
            c += chars;
        }
        return result;
    }

    private static AlignedText ToAlignedText(ReadOnlySpan<byte> utf8, List<CharSpan> origins)
    {
        var builder = new AlignedTextBuilder(utf8.Length);
        Span<char> buffer = stackalloc char[2];
        var position = 0;
        while (position < utf8.Length)
        {
            Rune.DecodeFromUtf8(utf8[position..], out var rune, out var consumed);
            builder.Append(buffer[..rune.EncodeToUtf16(buffer)], origins[position]);
            position += consumed;
        }
        return builder.Build();
    }

    /// <summary>The replacement for the longest rule matching at <paramref name="position"/>, or the char there unchanged.</summary>
    /// <returns>How many input bytes the rule (or char) consumed.</returns>
    private int NormalizePrefix(byte[] input, int position, out ReadOnlySpan<byte> replacement)
    {
        var (value, length) = LongestMatch(input.AsSpan(position));
        if (length > 0)
        {
            replacement = _replacements.AsSpan(value);
            var end = replacement.IndexOf((byte)0);
            if (end >= 0)
            {
                replacement = replacement[..end];
            }
            return length;
        }
        if (Rune.DecodeFromUtf8(input.AsSpan(position), out _, out var consumed) != System.Buffers.OperationStatus.Done)
        {
            replacement = ReplacementCharacter;
            return 1;
        }
        replacement = input.AsSpan(position, consumed);
        return consumed;
    }

    // darts-clone DoubleArray::commonPrefixSearch: unit bits hold label (bits 0-7, bit 31), has-leaf (bit 8),
    // and an offset (bits 10-31, scaled by 2^8 when bit 9 is set); a leaf unit holds the value in bits 0-30.
    private (int Value, int Length) LongestMatch(ReadOnlySpan<byte> key)
    {
        if (_trie.Length == 0)
        {
            return (0, 0);
        }
        var bestValue = 0;
        var bestLength = 0;
        var results = 0;
        var nodePosition = Offset(_trie[0]);
        for (var i = 0; i < key.Length; i++)
        {
            nodePosition ^= key[i];
            if (nodePosition >= (uint)_trie.Length)
            {
                break;
            }
            var unit = _trie[nodePosition];
            if ((unit & ((1u << 31) | 0xFF)) != key[i])
            {
                break;
            }
            nodePosition ^= Offset(unit);
            if (((unit >> 8) & 1) == 1 && nodePosition < (uint)_trie.Length)
            {
                if (results < MaxTrieResults)
                {
                    bestValue = (int)(_trie[nodePosition] & 0x7FFFFFFF);
                    bestLength = i + 1;
                }
                results++;
            }
        }
        return (bestValue, bestLength);
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
