using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Text;

/// <summary>
/// The tokenizer of a Hugging Face model folder, chosen by the family its <c>config.json</c> names: ALBERT reads
/// <c>spiece.model</c>, BERT reads <c>vocab.txt</c> (with <c>do_lower_case</c> from <c>tokenizer_config.json</c>).
/// The vocabulary must match the model's <c>vocab_size</c>, so no id can fall outside the embedding table.
/// </summary>
public static class ModelTokenizer
{
    public const string SentencePieceFileName = "spiece.model";
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>Loads the tokenizer of <paramref name="modelFolder"/>; problems throw <see cref="InputException"/> naming the file.</summary>
    public static ISubwordTokenizer Load(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        return Load(modelFolder, EncoderConfig.Load(Path.Combine(modelFolder, EncoderConfig.FileName)));
    }

    /// <summary>Loads the tokenizer of <paramref name="modelFolder"/> for the already loaded <paramref name="config"/>.</summary>
    public static ISubwordTokenizer Load(string modelFolder, EncoderConfig config)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        ArgumentNullException.ThrowIfNull(config);
        var (own, other) = config.Family == ModelFamily.Albert
            ? (SentencePieceFileName, VocabularyFileName)
            : (VocabularyFileName, SentencePieceFileName);
        var path = Path.Combine(modelFolder, own);
        if (!File.Exists(path))
        {
            var hint = File.Exists(Path.Combine(modelFolder, other))
                ? $" The folder has {other}, the tokenizer of the other family: config.json says model_type \"{config.ModelType}\"."
                : "";
            throw new InputException($"{path}: tokenizer file not found; a {config.ModelType} model folder needs {own}.{hint}");
        }
        ISubwordTokenizer tokenizer = config.Family == ModelFamily.Albert
            ? AlbertTokenizer.Load(path)
            : WordPieceTokenizer.LoadFromFolder(modelFolder);
        if (tokenizer.VocabularySize != config.VocabSize)
        {
            throw new InputException(
                $"{path}: the tokenizer has {tokenizer.VocabularySize} entries but config.json field 'vocab_size' is {config.VocabSize}; they must be the same model's.");
        }
        return tokenizer;
    }
}
