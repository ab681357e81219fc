using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// BERT's tokenization as Hugging Face's <c>BertTokenizer</c> does it (BasicTokenizer, then WordpieceTokenizer), with
/// every token tied to the span of the ORIGINAL string it came from: text cleaning (NUL, U+FFFD and control
/// characters dropped, whitespace unified), CJK ideographs as words, whitespace split, lower-casing and accent
/// stripping when <see cref="DoLowerCase"/>, punctuation as single-character words, then greedy longest-match-first
/// pieces with <c>##</c> continuations; a word of more than <see cref="MaxCharsPerWord"/> characters, or one the
/// vocabulary cannot cover, is one <c>[UNK]</c> over the whole word. Thread-safe once loaded.
/// </summary>
public sealed class WordPieceTokenizer : ISubwordTokenizer
{
    public const string ClsToken = "[CLS]";
    public const string SepToken = "[SEP]";
    public const string UnknownToken = "[UNK]";
    public const string PadToken = "[PAD]";
    public const string MaskToken = "[MASK]";
    public const string ContinuationPrefix = "##";

    /// <summary>Hugging Face's <c>max_input_chars_per_word</c>.</summary>
    public const int MaxCharsPerWord = 100;

    private readonly string[] _pieces;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ids;

    private WordPieceTokenizer(string[] pieces, Dictionary<string, int> ids, bool doLowerCase, string source)
    {
        _pieces = pieces;
        _ids = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        DoLowerCase = doLowerCase;
        int Require(string token) => ids.TryGetValue(token, out var id)
            ? id
            : throw new InputException($"{source}: the vocabulary has no '{token}' entry; BERT models define [CLS], [SEP], [UNK] and [PAD].");
        ClsId = Require(ClsToken);
        SepId = Require(SepToken);
        UnknownId = Require(UnknownToken);
        PadId = Require(PadToken);
        MaskId = ids.GetValueOrDefault(MaskToken, -1);
    }

    public int ClsId { get; }

    public int SepId { get; }

    public int UnknownId { get; }

    public int PadId { get; }

    public int MaskId { get; }

    public int VocabularySize => _pieces.Length;

    /// <summary>Whether text is lower-cased and stripped of accents before the split (uncased models).</summary>
    public bool DoLowerCase { get; }

    public string PieceOf(int id) => _pieces[id];

    /// <summary>Loads <c>vocab.txt</c> and <c>do_lower_case</c> (from <c>tokenizer_config.json</c>, default true) of a model folder.</summary>
    public static WordPieceTokenizer LoadFromFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Load(Path.Combine(folder, ModelTokenizer.VocabularyFileName), ReadDoLowerCase(Path.Combine(folder, "tokenizer_config.json")));
    }

    /// <summary>Loads a <c>vocab.txt</c> (one entry per line, the id is the line number).</summary>
    public static WordPieceTokenizer Load(string vocabularyPath, bool doLowerCase)
    {
        ArgumentNullException.ThrowIfNull(vocabularyPath);
        if (!File.Exists(vocabularyPath))
        {
            throw new InputException($"{vocabularyPath}: vocabulary file not found.");
        }
        return Load(File.ReadAllText(vocabularyPath, Encoding.UTF8), doLowerCase, vocabularyPath);
    }

    /// <param name="vocabulary">The text of a <c>vocab.txt</c>.</param>
    /// <param name="source">Names the vocabulary in error messages.</param>
    public static WordPieceTokenizer Load(string vocabulary, bool doLowerCase, string source)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        // Hugging Face's load_vocab strips only the line break: other whitespace is part of an entry.
        var lines = vocabulary.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0)
        {
            throw new InputException($"{source}: the vocabulary is empty.");
        }
        var pieces = new string[count];
        var ids = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            pieces[i] = lines[i].TrimEnd('\r');
            // As in Hugging Face, a repeated entry maps to its last line.
            ids[pieces[i]] = i;
        }
        return new WordPieceTokenizer(pieces, ids, doLowerCase, source);
    }

    /// <summary><c>do_lower_case</c> of a Hugging Face <c>tokenizer_config.json</c>; true when the file or field is absent.</summary>
    public static bool ReadDoLowerCase(string tokenizerConfigPath)
    {
        if (!File.Exists(tokenizerConfigPath))
        {
            return true;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(tokenizerConfigPath));
        }
        catch (JsonException e)
        {
            throw new InputException($"{tokenizerConfigPath}: not valid JSON ({e.Message})", e);
        }
        var field = root is JsonObject obj ? obj["do_lower_case"] : null;
        if (field is null)
        {
            return true;
        }
        return field.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InputException($"{tokenizerConfigPath}: field 'do_lower_case' must be true or false, got {field.ToJsonString()}."),
        };
    }

    public TokenizedText Tokenize(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var (normalized, words) = SplitWords(original);
        var ids = new List<int>(words.Count + 8);
        var spans = new List<CharSpan>(words.Count + 8);
        var buffer = ArrayPool<char>.Shared.Rent(MaxCharsPerWord + ContinuationPrefix.Length);
        try
        {
            foreach (var (start, end) in words)
            {
                AppendPieces(normalized, start, end, buffer, ids, spans);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
        return new TokenizedText([.. ids], [.. spans]);
    }

    /// <summary>The BasicTokenizer: the normalised text with origins, and its words as [start, end) ranges.</summary>
    private (AlignedText Text, List<(int Start, int End)> Words) SplitWords(string original)
    {
        var builder = new AlignedTextBuilder(original.Length);
        var words = new List<(int, int)>();
        var wordStart = -1;
        void EndWord()
        {
            if (wordStart >= 0 && builder.Length > wordStart)
            {
                words.Add((wordStart, builder.Length));
            }
            wordStart = -1;
        }
        Span<char> lowered = stackalloc char[PythonUnicode.MaxLoweredLength];
        var index = 0;
        while (index < original.Length)
        {
            if (Rune.DecodeFromUtf16(original.AsSpan(index), out var rune, out var length) != OperationStatus.Done)
            {
                // A lone surrogate: Hugging Face sees a category-Cs character, a control, and drops it.
                index += Math.Max(length, 1);
                continue;
            }
            var origin = new CharSpan(index, index + length);
            var codePoint = rune.Value;
            var category = Rune.GetUnicodeCategory(rune);
            if (IsWhitespace(codePoint, category))
            {
                EndWord();
            }
            else if (codePoint == 0 || codePoint == 0xFFFD || IsControl(category))
            {
                // Dropped; it neither ends a word nor belongs to one.
            }
            else if (IsChineseCharacter(codePoint) || IsPunctuation(codePoint, category))
            {
                EndWord();
                wordStart = builder.Length;
                AppendNormalized(builder, original, index, rune, origin, lowered);
                EndWord();
            }
            else
            {
                if (wordStart < 0)
                {
                    wordStart = builder.Length;
                }
                if (!AppendNormalized(builder, original, index, rune, origin, lowered))
                {
                    // A stripped accent still belongs to the word it sits in.
                    builder.ExtendLast(origin.End);
                }
            }
            index += length;
        }
        EndWord();
        return (builder.Build(), words);
    }

    /// <summary>Appends the normalised form of one character; false when nothing is left of it.</summary>
    private bool AppendNormalized(AlignedTextBuilder builder, string original, int index, Rune rune, CharSpan origin, Span<char> lowered)
    {
        if (!DoLowerCase)
        {
            Span<char> chars = stackalloc char[2];
            builder.Append(chars[..rune.EncodeToUtf16(chars)], origin);
            return true;
        }
        var lowerLength = PythonUnicode.LowerAt(original, index, rune, lowered);
        var text = new string(lowered[..lowerLength]);
        if (!text.IsNormalized(NormalizationForm.FormD))
        {
            text = text.Normalize(NormalizationForm.FormD);
        }
        var appended = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(text, i) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(text[i], origin);
            appended = true;
        }
        return appended;
    }

    /// <summary>The WordpieceTokenizer on one word: greedy longest match, or one [UNK] for the whole word.</summary>
    private void AppendPieces(AlignedText text, int wordStart, int wordEnd, char[] buffer, List<int> ids, List<CharSpan> spans)
    {
        var word = text.Text.AsSpan(wordStart, wordEnd - wordStart);
        var firstPiece = ids.Count;
        if (word.Length <= MaxCharsPerWord)
        {
            var start = 0;
            while (start < word.Length)
            {
                var end = word.Length;
                var found = -1;
                while (end > start)
                {
                    ReadOnlySpan<char> candidate;
                    if (start > 0)
                    {
                        ContinuationPrefix.CopyTo(buffer);
                        word[start..end].CopyTo(buffer.AsSpan(ContinuationPrefix.Length));
                        candidate = buffer.AsSpan(0, ContinuationPrefix.Length + end - start);
                    }
                    else
                    {
                        candidate = word[start..end];
                    }
                    if (_ids.TryGetValue(candidate, out found))
                    {
                        break;
                    }
                    end--;
                }
                if (end == start)
                {
                    ids.RemoveRange(firstPiece, ids.Count - firstPiece);
                    spans.RemoveRange(firstPiece, spans.Count - firstPiece);
                    break;
                }
                ids.Add(found);
                spans.Add(text.ToOriginal(wordStart + start, wordStart + end));
                start = end;
            }
            if (ids.Count > firstPiece)
            {
                return;
            }
        }
        ids.Add(UnknownId);
        spans.Add(text.ToOriginal(wordStart, wordEnd));
    }

    private static bool IsWhitespace(int codePoint, UnicodeCategory category) =>
        codePoint is ' ' or '\t' or '\n' or '\r' || category == UnicodeCategory.SpaceSeparator;

    /// <summary>Hugging Face's <c>_is_control</c> (tab, newline and carriage return count as whitespace instead).</summary>
    private static bool IsControl(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    /// <summary>Hugging Face's <c>_is_punctuation</c>: all non-letter/number ASCII symbols, and Unicode category P*.</summary>
    private static bool IsPunctuation(int codePoint, UnicodeCategory category) =>
        codePoint is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    /// <summary>Hugging Face's <c>_is_chinese_char</c>: the CJK Unified Ideographs blocks.</summary>
    private static bool IsChineseCharacter(int codePoint) =>
        codePoint is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
