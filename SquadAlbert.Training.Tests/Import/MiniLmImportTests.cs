using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Commands;
using SquadAlbert.Training.Import;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Tests.Import;

/// <summary>One import of the MiniLM package (90 MB of ONNX, a few seconds) shared by the tests of its folder.</summary>
public sealed class MiniLmFolderFixture : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("minilm-import");

    public MiniLmFolderFixture()
    {
        Folder = Path.Combine(_scratch.FullName, "minilm");
        Checks = MiniLmPackage.Import(Folder);
    }

    public string Folder { get; }

    public IReadOnlyList<ImportCheck> Checks { get; }

    public void Dispose() => _scratch.Delete(recursive: true);
}

public sealed class MiniLmImportTests(MiniLmFolderFixture minilm) : IClassFixture<MiniLmFolderFixture>
{
    /// <summary>all-MiniLM-L6-v2 as its model card and Hugging Face config describe it.</summary>
    private static readonly EncoderConfig AllMiniLmL6V2 = EncoderConfig.Bert(
        vocabSize: 30522, hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12, intermediateSize: 1536,
        hiddenAct: EncoderActivation.GeluErf, maxPositionEmbeddings: 512, typeVocabSize: 2, layerNormEps: 1e-12);

    [Fact]
    public void The_imported_config_is_all_minilm_l6_v2()
    {
        var config = EncoderConfig.Load(Path.Combine(minilm.Folder, EncoderConfig.FileName));

        Assert.Equal(AllMiniLmL6V2, config);
        Assert.Equal(ModelFamily.Bert, config.Family);
    }

    [Fact]
    public void Every_check_sentence_matches_the_original_export_within_the_tolerance()
    {
        Assert.Equal(MiniLmPackage.CheckSentences, minilm.Checks.Select(c => c.Sentence));
        Assert.All(minilm.Checks, check =>
        {
            Assert.True(check.Tokens > 2, $"{check.Tokens} tokens: {check.Sentence}");
            Assert.True(check.MaxAbsDifference <= MiniLmPackage.Tolerance, $"{check.MaxAbsDifference:E2}: {check.Sentence}");
        });
        Assert.Equal(1e-4, MiniLmPackage.Tolerance);
    }

    [Fact]
    public void The_weights_are_exactly_the_bert_backbone_and_fill_a_qa_model()
    {
        var tensors = SafeTensors.Read(Path.Combine(minilm.Folder, QaCheckpoint.WeightsFileName));
        var backbone = EncoderParameterNames.Expected(AllMiniLmL6V2).Where(p => p.Name.StartsWith("bert.", StringComparison.Ordinal)).ToList();
        Assert.Equal(backbone.Select(p => p.Name).Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        Assert.All(backbone, p => Assert.Equal(p.Shape, tensors[p.Name].Shape));
        // Nothing anonymous slipped through as zeros: every linear weight was found and transposed.
        Assert.All(backbone, p => Assert.Contains(tensors[p.Name].Data, v => v != 0));

        using var model = new EncoderQaModel(EncoderTrainingConfig.Load(Path.Combine(minilm.Folder, EncoderConfig.FileName)));
        Assert.Equal(backbone.Count, model.ImportPretrained(tensors, minilm.Folder));
    }

    [Fact]
    public void The_folder_loads_as_a_tokenizer_a_training_config_and_an_init_from_start()
    {
        var tokenizer = Assert.IsType<WordPieceTokenizer>(ModelTokenizer.Load(minilm.Folder));
        Assert.Equal(30522, tokenizer.VocabularySize);
        Assert.True(tokenizer.DoLowerCase);
        Assert.Equal(512, ModelWindowDefaults.ModelMaxLength(minilm.Folder));

        var training = EncoderTrainingConfig.Load(Path.Combine(minilm.Folder, EncoderConfig.FileName));
        Assert.Equal(AllMiniLmL6V2, training.Architecture);
        Assert.Equal((0.1, 0.1), (training.HiddenDropoutProb, training.AttentionProbsDropoutProb));

        var start = PretrainedStart.Resolve(minilm.Folder);
        Assert.Equal(Path.GetFullPath(minilm.Folder), start.Source);
        Assert.Equal(SafeTensors.Read(Path.Combine(minilm.Folder, QaCheckpoint.WeightsFileName)).Keys.Order(), start.ReadWeights().Keys.Order());
        Assert.Equal(training, start.Config);
        var startTokenizer = Assert.IsType<WordPieceTokenizer>(start.Tokenizer);
        Assert.Equal(30522, startTokenizer.VocabularySize);
    }

    /// <summary>The package's vocab.txt has CRLF line ends; ids are line numbers, and no entry keeps the CR.</summary>
    [Fact]
    public void The_real_vocabulary_has_bert_uncased_special_ids()
    {
        var tokenizer = WordPieceTokenizer.LoadFromFolder(minilm.Folder);

        Assert.Equal((0, 100, 101, 102, 103), (tokenizer.PadId, tokenizer.UnknownId, tokenizer.ClsId, tokenizer.SepId, tokenizer.MaskId));
        Assert.Equal("[CLS]", tokenizer.PieceOf(101));
        Assert.Equal("the", tokenizer.PieceOf(1996));
        Assert.Equal([1996, 4248, 2829, 4419], tokenizer.Tokenize("The quick brown fox").Ids);
    }

    [Theory]
    // Precomposed á: one character of the original per normalised character.
    [InlineData("Málaga", 6)]
    // a + combining acute: the stripped accent still belongs to the piece it sits in.
    [InlineData("Ma\u0301laga", 7)]
    public void An_accented_word_becomes_the_pieces_of_its_plain_form_with_spans_over_the_original(string word, int length)
    {
        var tokenizer = WordPieceTokenizer.LoadFromFolder(minilm.Folder);
        var text = $"In {word}'s port";

        var tokens = tokenizer.Tokenize(text);

        var pieces = tokens.Ids.Select(tokenizer.PieceOf).ToArray();
        Assert.Equal(["in", "malaga", "'", "s", "port"], pieces);
        Assert.Equal(new CharSpan(3, 3 + length), tokens.Spans[1]);
        Assert.Equal(word, text[tokens.Spans[1].Start..tokens.Spans[1].End]);
        Assert.Equal(new CharSpan(3 + length, 4 + length), tokens.Spans[2]);
        Assert.Equal("port", text[tokens.Spans[4].Start..tokens.Spans[4].End]);
    }

    [Fact]
    public void A_word_split_into_pieces_has_adjacent_spans_covering_it()
    {
        var tokenizer = WordPieceTokenizer.LoadFromFolder(minilm.Folder);
        const string text = "Málagas";

        var tokens = tokenizer.Tokenize(text);

        Assert.Equal(["malaga", "##s"], tokens.Ids.Select(tokenizer.PieceOf));
        Assert.Equal([new CharSpan(0, 6), new CharSpan(6, 7)], tokens.Spans);
    }
}
