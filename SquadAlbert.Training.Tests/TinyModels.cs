using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Tests;

/// <summary>Small configs and synthetic windows for fast CPU tests.</summary>
internal static class TinyModels
{
    public static EncoderConfig TwoGroupsTwoInner { get; } = new(
        VocabSize: 60, EmbeddingSize: 8, HiddenSize: 16, NumHiddenLayers: 4, NumHiddenGroups: 2, InnerGroupNum: 2,
        NumAttentionHeads: 2, IntermediateSize: 24, HiddenAct: EncoderActivation.GeluTanh, MaxPositionEmbeddings: 40,
        TypeVocabSize: 2, LayerNormEps: 1e-12);

    public static EncoderConfig SharedOneGroup { get; } = TwoGroupsTwoInner with { NumHiddenLayers = 3, NumHiddenGroups = 1, InnerGroupNum = 1 };

    /// <summary>BERT: three distinct layers, embeddings as wide as the hidden state, exact GELU (as MiniLM).</summary>
    public static EncoderConfig Bert { get; } = EncoderConfig.Bert(
        vocabSize: 60, hiddenSize: 16, numHiddenLayers: 3, numAttentionHeads: 2, intermediateSize: 24,
        hiddenAct: EncoderActivation.GeluErf, maxPositionEmbeddings: 40, typeVocabSize: 2, layerNormEps: 1e-12);

    public static EncoderConfig ByName(string name) => name switch
    {
        nameof(SharedOneGroup) => SharedOneGroup,
        nameof(TwoGroupsTwoInner) => TwoGroupsTwoInner,
        nameof(Bert) => Bert,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such tiny config"),
    };

    /// <summary>A <c>vocab.txt</c> of <paramref name="size"/> entries (BERT's specials first, then "w5", "w6", …),
    /// written to <paramref name="path"/>.</summary>
    public static string WriteBertVocabulary(string path, int size)
    {
        string[] specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        File.WriteAllLines(path, specials.Concat(Enumerable.Range(specials.Length, size - specials.Length).Select(i => $"w{i}")));
        return path;
    }

    public static EncoderTrainingConfig WithDropout(EncoderConfig config) => new(config, 0.1, 0.1, 0.05);

    /// <summary><paramref name="count"/> windows of varying length (12..20 tokens) with answers in the context part.</summary>
    public static QaWindow[] Windows(int count, int vocabularySize, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var length = random.Next(12, 21);
            var questionTokens = 4;
            var ids = new int[length];
            var types = new int[length];
            for (var t = 0; t < length; t++)
            {
                ids[t] = random.Next(4, vocabularySize);
                types[t] = t <= questionTokens + 1 ? 0 : 1;
            }
            var start = random.Next(questionTokens + 2, length - 3);
            return new QaWindow(i, $"q{i}", 0, ids, types, new TokenSource[length], new CharSpan[length], start, start + random.Next(0, 2));
        }).ToArray();
    }
}
