namespace SquadAlbert.Analysis.Text;

/// <summary>
/// What the featurizer, the attribution and the token views need from a model's tokenizer, whatever its family
/// (ALBERT's SentencePiece unigram, BERT's WordPiece): special ids, the vocabulary, and tokens that keep the span of
/// the ORIGINAL text they came from.
/// </summary>
public interface ISubwordTokenizer
{
    int ClsId { get; }

    int SepId { get; }

    int UnknownId { get; }

    /// <summary>The padding id, or -1 when the vocabulary has none.</summary>
    int PadId { get; }

    /// <summary>The id of the mask token (masked-LM pre-training), or -1 when the vocabulary has none.</summary>
    int MaskId { get; }

    int VocabularySize { get; }

    /// <summary>The vocabulary entry for <paramref name="id"/>.</summary>
    string PieceOf(int id);

    /// <summary>Token ids of <paramref name="original"/>, each with the original characters it covers.</summary>
    TokenizedText Tokenize(string original);
}
