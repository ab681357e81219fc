using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

/// <summary>The shared SQuAD files, loaded once for all tests in this class.</summary>
public sealed class SquadFilesFixture
{
    public SquadDataset DevV11 { get; } = SquadLoader.Load(TestPaths.DevV11);
    public SquadDataset TrainV11 { get; } = SquadLoader.Load(TestPaths.TrainV11);
    public SquadDataset DevV20 { get; } = SquadLoader.Load(TestPaths.DevV20);
}

[CollectionDefinition(Name)]
public sealed class SquadFilesGroup : ICollectionFixture<SquadFilesFixture>
{
    public const string Name = "SQuAD files";
}

[Collection(SquadFilesGroup.Name)]
public class SquadLoaderRealDataTests(SquadFilesFixture files)
{
    [Fact]
    public void Dev_v11_has_the_official_counts_and_no_problems()
    {
        var dev = files.DevV11;

        Assert.Empty(dev.Validation.Problems);
        Assert.Equal("1.1", dev.Version);
        Assert.Equal(48, dev.ArticleCount);
        Assert.Equal(2067, dev.ParagraphCount);
        Assert.Equal(10570, dev.Examples.Count);
        Assert.Equal(34726, dev.Examples.Sum(e => e.Answers.Count));
        Assert.Equal("56be4db0acb8001400a502ec", dev.Examples[0].Id);
        Assert.Equal("Super_Bowl_50", dev.Examples[0].Title);
    }

    [Fact]
    public void Train_v11_has_all_questions_and_every_answer_sits_at_its_offset()
    {
        var train = files.TrainV11;

        Assert.Empty(train.Validation.Problems);
        Assert.Equal(442, train.ArticleCount);
        Assert.Equal(18896, train.ParagraphCount);
        Assert.Equal(87599, train.Examples.Count);
        Assert.All(train.Examples, e => Assert.All(e.Answers, a => Assert.Equal(a.Text, e.Context.Substring(a.AnswerStart, a.Text.Length))));
        var first = train.Examples[0];
        Assert.Equal("University_of_Notre_Dame", first.Title);
        Assert.Equal(new SquadAnswer("Saint Bernadette Soubirous", 515), Assert.Single(first.Answers));
    }

    [Fact]
    public void Dev_v20_has_5945_impossible_questions()
    {
        var dev = files.DevV20;

        Assert.Empty(dev.Validation.Problems);
        Assert.Equal("v2.0", dev.Version);
        Assert.Equal(35, dev.ArticleCount);
        Assert.Equal(1204, dev.ParagraphCount);
        Assert.Equal(11873, dev.Examples.Count);
        Assert.Equal(5945, dev.Examples.Count(e => e.IsImpossible));
        Assert.All(dev.Examples.Where(e => e.IsImpossible), e => Assert.Empty(e.Answers));
    }
}
