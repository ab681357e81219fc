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

    /// <summary>Whether <paramref name="modelFolder"/> holds a tokenizer file of either family (a quick check, not a load).</summary>
    public static bool HasTokenizerFile(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        return File.Exists(Path.Combine(modelFolder, SentencePieceFileName)) || File.Exists(Path.Combine(modelFolder, VocabularyFileName));
    }

    /// <summary>
    /// Loads the tokenizer of <paramref name="modelFolder"/>; problems throw <see cref="InputException"/> naming the
    /// file. A folder without <c>config.json</c> (a user's own <c>model.onnx</c>) is read by the tokenizer file it has.
    /// </summary>
    public static ISubwordTokenizer Load(string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(modelFolder);
        var configPath = Path.Combine(modelFolder, EncoderConfig.FileName);
        if (File.Exists(configPath))
        {
            return Load(modelFolder, EncoderConfig.Load(configPath));
        }
        if (File.Exists(Path.Combine(modelFolder, SentencePieceFileName)))
        {
            return AlbertTokenizer.Load(Path.Combine(modelFolder, SentencePieceFileName));
        }
        if (File.Exists(Path.Combine(modelFolder, VocabularyFileName)))
        {
            return WordPieceTokenizer.LoadFromFolder(modelFolder);
        }
        throw new InputException($"{modelFolder}: no tokenizer found: expected {SentencePieceFileName} (ALBERT) or {VocabularyFileName} (BERT).");
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
