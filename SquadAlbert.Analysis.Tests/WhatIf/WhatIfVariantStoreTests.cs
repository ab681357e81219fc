using System.Text.Json;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Tests.Runs;
using SquadAlbert.Analysis.WhatIf;

namespace SquadAlbert.Analysis.Tests.WhatIf;

public sealed class WhatIfVariantStoreTests
{
    [Fact]
    public void Variants_are_numbered_per_sample_listed_and_exported_as_squad()
    {
        var database = RunFixture.NewDatabase();
        var run = new RunStore(database).Find(AnalysisRunner.Run(database, RunFixture.Request(RunFixture.ModelFolder(seed: 1))).RunId)!;
        using var reader = new WhatIfReader(threads: 1);
        var store = new WhatIfVariantStore(database);
        var sample = new RunSampleReader(database).Find(run.Id, 2)!;
        // A character outside the BMP before the gold: SQuAD counts its offset in code points.
        var context = "\U0001F600 " + sample.Context;
        var gold = WhatIfEdit.ResolveGold(context, sample.GoldAnswers[0].Text, sample.GoldAnswers[0].Start + 3);
        Assert.NotNull(gold);
        var first = new WhatIfEdit("Edited " + sample.Question, context, gold);
        var second = new WhatIfEdit(sample.Question, sample.Context, null);

        var v1 = store.Save(run.Id, 2, first, reader.Run(run, first));
        var v2 = store.Save(run.Id, 2, second, reader.Run(run, second));
        var other = store.Save(run.Id, 0, second, reader.Run(run, second));

        Assert.Equal((1, 2, 1), (v1.Number, v2.Number, other.Number));
        Assert.Equal(sample.ExampleId + "-v1", v1.Id);
        Assert.Equal([v1, v2], store.List(run.Id, 2), new VariantComparer());
        Assert.Equal(3, store.List(run.Id).Count);
        Assert.Equal(v1.NBest, store.List(run.Id, 2)[0].NBest);
        Assert.Throws<InputException>(() => store.Save(run.Id, 99, first, reader.Run(run, first)));

        var path = Path.Combine(TinyEncoders.TempDirectory(), "variants.json");
        File.WriteAllBytes(path, store.ExportSquad(run.Id));
        var exported = SquadLoader.Load(path);
        Assert.True(exported.IsVersion2);
        Assert.Equal(
            new HashSet<string> { sample.ExampleId + "-v1", sample.ExampleId + "-v2", other.ExampleId + "-v1" },
            exported.Examples.Select(e => e.Id).ToHashSet());
        var edited = exported.Examples.Single(e => e.Id == v1.Id);
        Assert.Equal(first.Question, edited.Question);
        Assert.Equal(context, edited.Context);
        Assert.Equal(gold.AnswerStart, edited.Answers[0].AnswerStart);
        Assert.Equal(gold.Text, context.Substring(edited.Answers[0].AnswerStart, edited.Answers[0].Text.Length));
        Assert.True(exported.Examples.Single(e => e.Id == v2.Id).IsImpossible);
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var question = json.RootElement.GetProperty("data").EnumerateArray().SelectMany(a => a.GetProperty("paragraphs").EnumerateArray())
            .Select(p => p.GetProperty("qas")[0]).Single(q => q.GetProperty("id").GetString() == v1.Id);
        Assert.Equal(gold.AnswerStart - 1, question.GetProperty("answers")[0].GetProperty("answer_start").GetInt32());
    }

    private sealed class VariantComparer : IEqualityComparer<WhatIfVariant>
    {
        public bool Equals(WhatIfVariant? x, WhatIfVariant? y) =>
            x is not null && y is not null && (x.RunId, x.SampleIndex, x.Number, x.Question, x.Context, x.Gold, x.Prediction, x.PredictionStart, x.Probability, x.CreatedAt)
            == (y.RunId, y.SampleIndex, y.Number, y.Question, y.Context, y.Gold, y.Prediction, y.PredictionStart, y.Probability, y.CreatedAt);

        public int GetHashCode(WhatIfVariant obj) => obj.Number;
    }
}
