using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Training;

public sealed class PretrainingTests : IDisposable
{
    private static readonly MaskingOptions Masking = new(0.15, MaskId: 4, FirstRandomId: 5, VocabularySize: 60, new HashSet<int> { 0, 2, 3 });
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pretraining-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Corpus_sequences_hold_both_halves_of_a_chunk_in_or_out_of_order()
    {
        var tokenizer = AlbertTokenizer.Load(BuildFacts.TokenizerModel);
        var texts = new[]
        {
            "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France. "
            + "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway.",
            "Short.",
        };
        var examples = PretrainingCorpus.Build(texts, tokenizer, maxLength: 24, seed: 3);
        var tokens = tokenizer.Tokenize(texts[0]).Ids;

        Assert.True(examples.Count >= 2);
        Assert.Contains(examples, e => e.SentenceOrder == 0);
        var rebuilt = new List<int>();
        foreach (var example in examples)
        {
            Assert.InRange(example.Length, PretrainingCorpus.MinimumChunkTokens + 3, 24);
            Assert.Equal(tokenizer.ClsId, example.InputIds[0]);
            Assert.Equal(tokenizer.SepId, example.InputIds[^1]);
            var sep = Array.IndexOf(example.InputIds, tokenizer.SepId);
            Assert.All(example.TokenTypeIds[..(sep + 1)], t => Assert.Equal(0, t));
            Assert.All(example.TokenTypeIds[(sep + 1)..], t => Assert.Equal(1, t));
            var first = example.InputIds[1..sep];
            var second = example.InputIds[(sep + 1)..^1];
            rebuilt.AddRange(example.SentenceOrder == 0 ? first.Concat(second) : second.Concat(first));
        }
        // Whole chunks of the first text in order; "Short." is under the minimum chunk length.
        Assert.Equal(tokens.Take(rebuilt.Count), rebuilt);
        Assert.Equal(examples, PretrainingCorpus.Build(texts, tokenizer, maxLength: 24, seed: 3), new ExampleComparer());
    }

    [Fact]
    public void Masking_is_a_function_of_seed_and_step_and_follows_the_80_10_10_rule()
    {
        var random = new Random(5);
        var examples = Enumerable.Range(0, 400).Select(_ =>
        {
            var length = random.Next(20, 40);
            var ids = Enumerable.Range(0, length).Select(t => t == 0 ? 2 : t == length - 1 ? 3 : random.Next(5, 60)).ToArray();
            return new PretrainingExample(ids, new int[length], random.Next(2));
        }).ToArray();

        var masked = MaskedBatch.Mask(examples, Masking, seed: 9, step: 4);

        Assert.Equal(masked, MaskedBatch.Mask(examples, Masking, seed: 9, step: 4), new ArraysComparer());
        Assert.NotEqual(masked.MaskedPositions, MaskedBatch.Mask(examples, Masking, seed: 9, step: 5).MaskedPositions);
        var maskable = examples.Sum(e => e.Length - 2);
        Assert.InRange(masked.MaskedPositions.Length / (double)maskable, 0.13, 0.17);
        var replacedByMask = 0;
        var unchanged = 0;
        for (var i = 0; i < masked.MaskedPositions.Length; i++)
        {
            var at = masked.MaskedPositions[i];
            var (row, column) = ((int)(at / masked.Width), (int)(at % masked.Width));
            Assert.Equal(examples[row].InputIds[column], masked.MaskedLabels[i]);
            Assert.NotEqual(2, masked.MaskedLabels[i]);
            Assert.NotEqual(3, masked.MaskedLabels[i]);
            replacedByMask += masked.InputIds[at] == 4 ? 1 : 0;
            unchanged += masked.InputIds[at] == masked.MaskedLabels[i] ? 1 : 0;
        }
        Assert.InRange(replacedByMask / (double)masked.MaskedPositions.Length, 0.75, 0.85);
        Assert.InRange(unchanged / (double)masked.MaskedPositions.Length, 0.07, 0.15);
        Assert.Equal(examples.Select(e => (long)e.SentenceOrder), masked.SentenceOrder);
    }

    [Fact]
    public void Every_sequence_gets_at_least_one_masked_token()
    {
        var examples = Enumerable.Range(0, 50).Select(i => new PretrainingExample([2, 10 + i % 40, 3], [0, 0, 0], 0)).ToArray();
        var masked = MaskedBatch.Mask(examples, Masking, seed: 1, step: 0);
        Assert.Equal(Enumerable.Range(0, 50).Select(r => (long)((r * masked.Width) + 1)), masked.MaskedPositions);
    }

    [Fact]
    public void Pretraining_lowers_the_loss_and_a_resumed_run_reproduces_it()
    {
        var config = TinyModels.WithDropout(TinyModels.SharedOneGroup);
        var examples = Examples(24);
        var options = new TrainingOptions(BatchSize: 6, LearningRate: 1e-2, WeightDecay: 0, MaxSteps: 80, WarmupFraction: 0, CheckpointEveryMinutes: 1e9);

        using var uninterrupted = new PretrainingTrainer(config, options, examples, Masking, Checkpoints("full"));
        var expected = uninterrupted.Run();
        Assert.True(expected.Skip(70).Average() < expected.Take(5).Average() - 1.0, $"first {expected[0]}, last {expected[^1]}");

        using (var killed = new PretrainingTrainer(config, options, examples, Masking, Checkpoints("resumed")))
        {
            killed.Run(stopAtStep: 17);
        }
        using var resumed = new PretrainingTrainer(config, options, examples, Masking, Checkpoints("resumed"));
        Assert.True(resumed.TryResume());
        Assert.Equal(expected.Skip(17), resumed.Run());

        var backbone = Path.Combine(_scratch.FullName, "backbone.safetensors");
        resumed.SaveBackbone(backbone);
        using var qa = new EncoderQaModel(config);
        Assert.Equal(resumed.Model.ExportBackbone().Count, qa.ImportPretrained(Analysis.Model.Checkpoint.SafeTensors.Read(backbone), backbone));
    }

    private TrainingCheckpoints Checkpoints(string name) => new(Path.Combine(_scratch.FullName, name));

    /// <summary>Sequences whose second half repeats the first (learnable), half of them swapped.</summary>
    private static PretrainingExample[] Examples(int count)
    {
        var random = new Random(2);
        return Enumerable.Range(0, count).Select(i =>
        {
            var half = Enumerable.Range(0, 6).Select(_ => random.Next(5, 15)).ToArray();
            int[] ids = [2, .. half, 3, .. half.Select(t => t + 20), 3];
            int[] types = [.. Enumerable.Repeat(0, 8), .. Enumerable.Repeat(1, 7)];
            return new PretrainingExample(ids, types, i % 2);
        }).ToArray();
    }

    private sealed class ExampleComparer : IEqualityComparer<PretrainingExample>
    {
        public bool Equals(PretrainingExample? x, PretrainingExample? y) =>
            x!.InputIds.SequenceEqual(y!.InputIds) && x.TokenTypeIds.SequenceEqual(y.TokenTypeIds) && x.SentenceOrder == y.SentenceOrder;

        public int GetHashCode(PretrainingExample obj) => obj.Length;
    }

    private sealed class ArraysComparer : IEqualityComparer<MaskedArrays>
    {
        public bool Equals(MaskedArrays? x, MaskedArrays? y) =>
            x!.InputIds.SequenceEqual(y!.InputIds) && x.MaskedPositions.SequenceEqual(y.MaskedPositions) && x.MaskedLabels.SequenceEqual(y.MaskedLabels);

        public int GetHashCode(MaskedArrays obj) => obj.Rows;
    }
}
