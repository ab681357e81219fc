using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Model;

/// <summary>Tiny random ALBERT and BERT models and hand-made windows for the model tests.</summary>
internal static class TinyEncoders
{
    /// <summary>One shared layer group run 3 times (ALBERT's usual sharing), gelu_new.</summary>
    public static EncoderConfig SharedOneGroup { get; } = new(
        VocabSize: 50, EmbeddingSize: 8, HiddenSize: 16, NumHiddenLayers: 3, NumHiddenGroups: 1, InnerGroupNum: 1,
        NumAttentionHeads: 2, IntermediateSize: 24, HiddenAct: EncoderActivation.GeluTanh, MaxPositionEmbeddings: 40,
        TypeVocabSize: 2, LayerNormEps: 1e-12);

    /// <summary>Two groups of two inner layers over 4 repetitions, exact (erf) GELU.</summary>
    public static EncoderConfig TwoGroupsTwoInner { get; } = SharedOneGroup with
    {
        NumHiddenLayers = 4, NumHiddenGroups = 2, InnerGroupNum = 2, HiddenAct = EncoderActivation.GeluErf, LayerNormEps = 1e-5,
    };

    /// <summary>BERT: three distinct layers (one per repetition), embeddings as wide as the hidden state, exact GELU.</summary>
    public static EncoderConfig Bert { get; } = EncoderConfig.Bert(
        vocabSize: 50, hiddenSize: 16, numHiddenLayers: 3, numAttentionHeads: 2, intermediateSize: 24,
        hiddenAct: EncoderActivation.GeluErf, maxPositionEmbeddings: 40, typeVocabSize: 2, layerNormEps: 1e-12);

    public static IEnumerable<object[]> Configs() =>
        [[nameof(SharedOneGroup)], [nameof(TwoGroupsTwoInner)], [nameof(Bert)]];

    public static EncoderConfig ByName(string name) => name switch
    {
        nameof(SharedOneGroup) => SharedOneGroup,
        nameof(TwoGroupsTwoInner) => TwoGroupsTwoInner,
        nameof(Bert) => Bert,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such tiny config"),
    };

    /// <summary>A window <c>[CLS] question [SEP] context [SEP]</c> whose context tokens are one character each of
    /// <paramref name="context"/> starting at <paramref name="contextOffset"/> (ids are arbitrary but fixed by the seed).</summary>
    public static QaWindow Window(int exampleIndex, int windowIndex, int questionTokens, int contextTokens, int seed, int contextOffset = 0)
    {
        var random = new Random(seed);
        var ids = new List<int> { 2 };
        var types = new List<int> { 0 };
        var sources = new List<TokenSource> { TokenSource.Special };
        var spans = new List<CharSpan> { CharSpan.Empty };
        for (var i = 0; i < questionTokens; i++)
        {
            ids.Add(random.Next(5, 50));
            types.Add(0);
            sources.Add(TokenSource.Question);
            spans.Add(new CharSpan(i, i + 1));
        }
        ids.Add(3);
        types.Add(0);
        sources.Add(TokenSource.Special);
        spans.Add(CharSpan.Empty);
        for (var i = 0; i < contextTokens; i++)
        {
            ids.Add(random.Next(5, 50));
            types.Add(1);
            sources.Add(TokenSource.Context);
            spans.Add(new CharSpan(contextOffset + i, contextOffset + i + 1));
        }
        ids.Add(3);
        types.Add(1);
        sources.Add(TokenSource.Special);
        spans.Add(CharSpan.Empty);
        return new QaWindow(exampleIndex, $"q{exampleIndex}", windowIndex, [.. ids], [.. types], [.. sources], [.. spans], 0, 0);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "squad-albert-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
