using Microsoft.ML.Tokenizers;

namespace SquadAlbert.Analysis.Text;

/// <summary>Token ids of one text, each with the characters of the ORIGINAL text it covers.</summary>
/// <param name="Ids">Vocabulary ids.</param>
/// <param name="Spans">Original characters behind each token; empty (Start == End) for a token that is only a space symbol.</param>
public sealed record TokenizedText(int[] Ids, CharSpan[] Spans)
{
    public int Count => Ids.Length;

    public static TokenizedText Empty { get; } = new([], []);
}

/// <summary>
/// ALBERT tokenization of any ALBERT <c>spiece.model</c> (unigram SentencePiece): Hugging Face ALBERT preprocessing,
/// SentencePiece normalization, then Microsoft.ML.Tokenizers' unigram segmentation; every token keeps the span of
/// the original string it came from. Thread-safe once loaded.
/// </summary>
public sealed class AlbertTokenizer : ISubwordTokenizer
{
    public const string ClsPiece = "[CLS]";
    public const string SepPiece = "[SEP]";
    public const string MaskPiece = "[MASK]";

    private readonly SentencePieceTokenizer _segmenter;
    private readonly SentencePieceTextNormalizer _normalizer;
    private readonly string[] _pieces;

    private AlbertTokenizer(SentencePieceModelFile model, SentencePieceTokenizer segmenter)
    {
        _segmenter = segmenter;
        _normalizer = new SentencePieceTextNormalizer(model.PrecompiledCharsmap, model.AddDummyPrefix, model.RemoveExtraWhitespaces, model.EscapeWhitespaces, model.Source);
        _pieces = model.Pieces.Select(p => p.Piece).ToArray();
        ClsId = model.IdOf(ClsPiece);
        SepId = model.IdOf(SepPiece);
        MaskId = model.IdOf(MaskPiece);
        UnknownId = model.UnkId;
        PadId = model.PadId;
    }

    public int ClsId { get; }
    public int SepId { get; }

    /// <summary>The id of <c>[MASK]</c> (masked-LM pre-training), or -1 when the model has none.</summary>
    public int MaskId { get; }
    public int UnknownId { get; }

    /// <summary>The padding id, or -1 when the model has none.</summary>
    public int PadId { get; }

    public int VocabularySize => _pieces.Length;

    /// <summary>Loads a SentencePiece model file; bad or unsupported files throw <see cref="InputException"/> naming the file and field.</summary>
    public static AlbertTokenizer Load(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new InputException($"tokenizer model '{modelPath}' not found");
        }
        return Load(File.ReadAllBytes(modelPath), modelPath);
    }

    /// <param name="modelBytes">The bytes of a <c>spiece.model</c>.</param>
    /// <param name="source">Names the model in error messages.</param>
    public static AlbertTokenizer Load(byte[] modelBytes, string source)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        var model = SentencePieceModelFile.Parse(modelBytes, source);
        if (!model.IsUnigram)
        {
            throw new InputException($"{source}: trainer_spec.model_type is {model.ModelType}; ALBERT models are unigram (1)");
        }
        if (model.TreatWhitespaceAsSuffix)
        {
            throw new InputException($"{source}: trainer_spec.treat_whitespace_as_suffix is set; ALBERT models put the space symbol before words");
        }
        if (model.ByteFallback)
        {
            throw new InputException($"{source}: trainer_spec.byte_fallback is set; ALBERT models map unknown characters to <unk>");
        }
        var clsId = RequirePiece(model, ClsPiece);
        var sepId = RequirePiece(model, SepPiece);
        if (model.UnkId < 0 || model.UnkId >= model.Pieces.Count)
        {
            throw new InputException($"{source}: trainer_spec.unk_id {model.UnkId} is not a piece id (0..{model.Pieces.Count - 1})");
        }
        var bytes = HasValidSentenceMarkers(model) ? modelBytes : model.WithSentenceMarkers(clsId, sepId);
        using var stream = new MemoryStream(bytes, writable: false);
        return new AlbertTokenizer(model, SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false));
    }

    /// <summary>The model's piece for <paramref name="id"/>.</summary>
    public string PieceOf(int id) => _pieces[id];

    /// <summary>The text exactly as SentencePiece segments it (after ALBERT preprocessing and SentencePiece normalization).</summary>
    public AlignedText Normalize(string original) => _normalizer.Normalize(AlbertTextPreprocessor.Preprocess(original));

    public TokenizedText Tokenize(string original)
    {
        var normalized = Normalize(original);
        if (normalized.Length == 0)
        {
            return TokenizedText.Empty;
        }
        // Normalization already happened above (with origins); the library only segments.
        var tokens = _segmenter.EncodeToTokens(normalized.Text, out _, addBeginningOfSentence: false, addEndOfSentence: false,
            considerPreTokenization: false, considerNormalization: false);
        var ids = new List<int>(tokens.Count);
        var spans = new List<CharSpan>(tokens.Count);
        foreach (var token in tokens)
        {
            var (start, length) = token.Offset.GetOffsetAndLength(normalized.Length);
            var span = normalized.ToOriginal(start, start + length);
            // sentencepiece's processor merges a run of unknown pieces into one <unk>; the library does not.
            if (token.Id == UnknownId && ids.Count > 0 && ids[^1] == UnknownId)
            {
                spans[^1] = new CharSpan(spans[^1].Start, Math.Max(spans[^1].End, span.End));
                continue;
            }
            ids.Add(token.Id);
            spans.Add(span);
        }
        return new TokenizedText([.. ids], [.. spans]);
    }

    private static int RequirePiece(SentencePieceModelFile model, string piece)
    {
        var id = model.IdOf(piece);
        if (id < 0)
        {
            throw new InputException($"{model.Source}: pieces has no '{piece}'; ALBERT models define [CLS] and [SEP]");
        }
        return id;
    }

    private static bool HasValidSentenceMarkers(SentencePieceModelFile model) =>
        model.BosId >= 0 && model.BosId < model.Pieces.Count && model.EosId >= 0 && model.EosId < model.Pieces.Count;
}
