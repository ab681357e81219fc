using Microsoft.ML.Tokenizers;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Text;

public sealed class AlbertTokenizerTests
{
    private static readonly Lazy<AlbertTokenizer> Ours = new(() => AlbertTokenizer.Load(DevSet.OurModel));

    [Fact]
    public void Our_model_has_albert_ids_and_no_sentence_markers()
    {
        var tokenizer = Ours.Value;
        Assert.Equal((0, 1, 2, 3), (tokenizer.PadId, tokenizer.UnknownId, tokenizer.ClsId, tokenizer.SepId));
        Assert.Equal("[MASK]", tokenizer.PieceOf(4));
        Assert.Equal(16000, tokenizer.VocabularySize);
    }

    [Fact]
    public void The_library_alone_cannot_load_a_model_without_bos_and_eos_which_is_why_we_rewrite_them()
    {
        // Still true of Microsoft.ML.Tokenizers 3.0.0: when this starts failing after an upgrade, the library loads
        // ALBERT's bos_id = eos_id = -1 models itself and SentencePieceModelFile.WithSentenceMarkers can go.
        using var stream = File.OpenRead(DevSet.OurModel);
        Assert.Throws<IndexOutOfRangeException>(() => SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false));
    }

    [Fact]
    public void Rewritten_model_keeps_every_other_field()
    {
        var bytes = File.ReadAllBytes(DevSet.OurModel);
        var original = SentencePieceModelFile.Parse(bytes, "ours");
        Assert.Equal((-1, -1), (original.BosId, original.EosId));

        var rewritten = SentencePieceModelFile.Parse(original.WithSentenceMarkers(2, 3), "rewritten");
        Assert.Equal((2, 3), (rewritten.BosId, rewritten.EosId));
        Assert.Equal((original.UnkId, original.PadId, original.ModelType), (rewritten.UnkId, rewritten.PadId, rewritten.ModelType));
        Assert.Equal(original.Pieces, rewritten.Pieces);
        Assert.Equal(original.PrecompiledCharsmap, rewritten.PrecompiledCharsmap);
        Assert.Equal("nmt_nfkc", rewritten.NormalizerRuleName);
    }

    [Fact]
    public void Model_that_already_has_sentence_markers_loads_as_is_and_tokenizes_the_same()
    {
        var withMarkers = SentencePieceModelFile.Parse(File.ReadAllBytes(DevSet.OurModel), "ours").WithSentenceMarkers(2, 3);
        var tokenizer = AlbertTokenizer.Load(withMarkers, "with-markers.model");
        const string text = "Which NFL team represented the AFC at Super Bowl 50?";
        Assert.Equal(Ours.Value.Tokenize(text), tokenizer.Tokenize(text), new TokenizedTextComparer());
    }

    private sealed class TokenizedTextComparer : IEqualityComparer<TokenizedText>
    {
        public bool Equals(TokenizedText? x, TokenizedText? y) =>
            x is not null && y is not null && x.Ids.SequenceEqual(y.Ids) && x.Spans.SequenceEqual(y.Spans);

        public int GetHashCode(TokenizedText obj) => obj.Count;
    }

    [Fact]
    public void Every_token_points_at_the_original_characters_it_spells()
    {
        const string original = "  The  ``Café'' sold ﬁne ＡＢＣ tea\u00A0in 1990s.";
        var tokens = Ours.Value.Tokenize(original);
        var spelled = string.Concat(tokens.Ids.Select(id => Ours.Value.PieceOf(id).TrimStart('\u2581')));
        var underSpans = string.Concat(tokens.Spans.Select(s => original[s.Start..s.End]));

        Assert.Equal("the\"cafe\"soldfineabcteain1990s.", spelled);
        Assert.Equal("The``Café''soldﬁneＡＢＣteain1990s.", underSpans);
        Assert.Equal(new CharSpan(2, 5), tokens.Spans[0]);
        Assert.All(tokens.Spans.Zip(tokens.Spans.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start));
    }

    [Fact]
    public void A_run_of_unknown_characters_is_one_unknown_token_covering_the_run()
    {
        const string original = "tesla (никола) won";
        var tokens = Ours.Value.Tokenize(original);
        var unknown = Array.IndexOf(tokens.Ids, Ours.Value.UnknownId);
        Assert.Equal(1, tokens.Ids.Count(id => id == Ours.Value.UnknownId));
        Assert.Equal("никола", original[tokens.Spans[unknown].Start..tokens.Spans[unknown].End]);
    }

    [Fact]
    public void Whitespace_only_text_has_no_tokens()
    {
        Assert.Equal(0, Ours.Value.Tokenize(" \t\n ").Count);
        Assert.Equal(0, Ours.Value.Tokenize("").Count);
    }

    [Fact]
    public void Missing_or_broken_model_files_are_input_errors_naming_the_file()
    {
        var missing = Assert.Throws<InputException>(() => AlbertTokenizer.Load("/nonexistent/spiece.model"));
        Assert.Contains("/nonexistent/spiece.model", missing.Message, StringComparison.Ordinal);

        var broken = Assert.Throws<InputException>(() => AlbertTokenizer.Load([0x0A, 0xFF, 0x01], "broken.model"));
        Assert.Contains("broken.model", broken.Message, StringComparison.Ordinal);
    }
}
