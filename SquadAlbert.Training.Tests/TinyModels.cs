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
