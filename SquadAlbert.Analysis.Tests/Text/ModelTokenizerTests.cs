using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

/// <summary>Which tokenizer file a model folder's family needs, and that its vocabulary fits the model's.</summary>
public sealed class ModelTokenizerTests
{
    /// <summary>A hand-written BERT vocabulary: the four required specials at BERT's usual low ids, then pieces.</summary>
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s", ".", "mal", "##aga"];

    [Fact]
    public void A_bert_folder_loads_its_wordpiece_vocabulary()
    {
        var folder = BertFolder(Vocabulary, Vocabulary.Length);

        var tokenizer = Assert.IsType<WordPieceTokenizer>(ModelTokenizer.Load(folder));

        Assert.Equal(Vocabulary.Length, tokenizer.VocabularySize);
        Assert.Equal((0, 1, 2, 3, 4), (tokenizer.PadId, tokenizer.UnknownId, tokenizer.ClsId, tokenizer.SepId, tokenizer.MaskId));
        var tokens = tokenizer.Tokenize("The cats sat on Málaga's mat.");
        Assert.Equal([5, 6, 10, 7, 8, 12, 13, 1, 1, 9, 11], tokens.Ids);
    }

    [Fact]
    public void A_bert_folder_without_vocab_txt_names_the_file()
    {
        var folder = BertFolder(vocabulary: null, vocabSize: Vocabulary.Length);

        var error = Assert.Throws<InputException>(() => ModelTokenizer.Load(folder));

        Assert.Contains(Path.Combine(folder, ModelTokenizer.VocabularyFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("needs vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("other family", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bert_folder_with_spiece_model_instead_says_it_is_the_other_familys_tokenizer()
    {
        var folder = BertFolder(vocabulary: null, vocabSize: Vocabulary.Length);
        File.WriteAllBytes(Path.Combine(folder, ModelTokenizer.SentencePieceFileName), [0]);

        var error = Assert.Throws<InputException>(() => ModelTokenizer.Load(folder));

        Assert.Contains("needs vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("spiece.model, the tokenizer of the other family", error.Message, StringComparison.Ordinal);
        Assert.Contains("model_type \"bert\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_albert_folder_with_only_vocab_txt_names_spiece_model()
    {
        var folder = TinyEncoders.TempDirectory();
        TinyEncoders.SharedOneGroup.Save(Path.Combine(folder, EncoderConfig.FileName));
        WriteVocabulary(folder, Vocabulary);

        var error = Assert.Throws<InputException>(() => ModelTokenizer.Load(folder));

        Assert.Contains(Path.Combine(folder, ModelTokenizer.SentencePieceFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("needs spiece.model", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.txt, the tokenizer of the other family", error.Message, StringComparison.Ordinal);
        Assert.Contains("model_type \"albert\"", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A vocabulary shorter than the embedding table loads fine on its own but belongs to another model; one
    /// longer than it would give ids past the table. Both are named with the two numbers.</summary>
    [Theory]
    [InlineData(20)]
    [InlineData(10)]
    public void A_vocabulary_of_another_size_than_vocab_size_names_both_numbers(int vocabSize)
    {
        var folder = BertFolder(Vocabulary, vocabSize);

        var error = Assert.Throws<InputException>(() => ModelTokenizer.Load(folder));

        Assert.Contains(Path.Combine(folder, ModelTokenizer.VocabularyFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Vocabulary.Length} entries", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'vocab_size' is {vocabSize}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_line_break_is_not_an_entry_but_a_blank_line_inside_is()
    {
        // Hugging Face's load_vocab: the line break ends an entry; an empty line in the middle is the entry "".
        var folder = BertFolder(vocabulary: null, vocabSize: Vocabulary.Length + 1);
        File.WriteAllText(Path.Combine(folder, ModelTokenizer.VocabularyFileName),
            string.Join("\r\n", Vocabulary[..5]) + "\r\n\r\n" + string.Join("\r\n", Vocabulary[5..]) + "\r\n");

        var tokenizer = ModelTokenizer.Load(folder);

        Assert.Equal(Vocabulary.Length + 1, tokenizer.VocabularySize);
        Assert.Equal("the", tokenizer.PieceOf(6));
    }

    [Theory]
    [InlineData("[UNK]")]
    [InlineData("[CLS]")]
    [InlineData("[SEP]")]
    [InlineData("[PAD]")]
    public void A_vocabulary_without_a_required_special_names_it(string special)
    {
        var vocabulary = Vocabulary.Select(piece => piece == special ? "[unused0]" : piece).ToArray();
        var folder = BertFolder(vocabulary, vocabulary.Length);

        var error = Assert.Throws<InputException>(() => ModelTokenizer.Load(folder));

        Assert.Contains(Path.Combine(folder, ModelTokenizer.VocabularyFileName), error.Message, StringComparison.Ordinal);
        Assert.Contains($"no '{special}' entry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Do_lower_case_false_in_tokenizer_config_keeps_case_and_accents()
    {
        var folder = BertFolder([.. Vocabulary, "Cat", "Má"], Vocabulary.Length + 2);
        File.WriteAllText(Path.Combine(folder, ModelWindowDefaults.TokenizerConfigFileName), """{"do_lower_case": false}""");

        var tokenizer = Assert.IsType<WordPieceTokenizer>(ModelTokenizer.Load(folder));

        Assert.False(tokenizer.DoLowerCase);
        Assert.Equal([Vocabulary.Length, 5, 1, Vocabulary.Length + 1], tokenizer.Tokenize("Cat the The Má").Ids);
    }

    /// <summary>A BERT folder: <c>config.json</c> of the tiny BERT with <paramref name="vocabSize"/>, and a
    /// <c>vocab.txt</c> of <paramref name="vocabulary"/> unless it is null.</summary>
    private static string BertFolder(string[]? vocabulary, int vocabSize)
    {
        var folder = TinyEncoders.TempDirectory();
        (TinyEncoders.Bert with { VocabSize = vocabSize }).Save(Path.Combine(folder, EncoderConfig.FileName));
        if (vocabulary is not null)
        {
            WriteVocabulary(folder, vocabulary);
        }
        return folder;
    }

    private static void WriteVocabulary(string folder, string[] vocabulary) =>
        File.WriteAllText(Path.Combine(folder, ModelTokenizer.VocabularyFileName), string.Join('\n', vocabulary) + "\n");
}
