using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public class PopulationRequestTests
{
    private static readonly string FixtureFolder = TestPaths.Fixture("squad");

    private static string InFixtures(string name) => Path.Combine(FixtureFolder, name);

    [Fact]
    public void Split_text_keeps_commas_and_colons_in_titles()
    {
        var split = SplitRequest.Parse("t=train-v1.1.json:50:New_Haven,_Connecticut; A:B");

        Assert.Equal(("t", "train-v1.1.json", 50), (split.Name, split.File, split.Size));
        Assert.Equal(["New_Haven,_Connecticut", "A:B"], split.Titles);
        var all = SplitRequest.Parse("v=dev.json:all:*");
        Assert.Null(all.Size);
        Assert.Null(all.Titles);
    }

    [Theory]
    [InlineData("no-equals:1:*", "is not NAME=FILE:SIZE:TITLE")]
    [InlineData("x=dev.json:1", "is not NAME=FILE:SIZE:TITLE")]
    [InlineData("x=dev.json:-3:*", "size '-3' must be a positive number or 'all'")]
    [InlineData("x=dev.json:0:*", "size '0' must be a positive number or 'all'")]
    [InlineData("x=dev.json:5: ; ", "names no titles")]
    public void Bad_split_text_says_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => SplitRequest.Parse(text));

        Assert.StartsWith($"Split '{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<PopulationRequest, string> InvalidRequests => new()
    {
        { new PopulationRequest("quick"), "Preset: 'quick' is not one of dev, tensorleap, custom." },
        { new PopulationRequest("tensorleap", "dev-v1.1.json"), "Data: a single data file (dev-v1.1.json) only goes with the dev preset" },
        { new PopulationRequest("custom", "dev-v1.1.json", Splits: [new SplitRequest("a", "x.json", null, null)]), "Data: a single data file" },
        { new PopulationRequest("custom"), "Split: the custom preset needs at least one split" },
        { new PopulationRequest("dev", Splits: [new SplitRequest("a", "x.json", null, null)]), "only the custom preset takes splits" },
        { new PopulationRequest("custom", Splits: [new SplitRequest(" ", "x.json", null, null)]), "Split: every split needs a name and a file" },
        { new PopulationRequest("custom", Splits: [new SplitRequest("a", "", null, null)]), "Split: every split needs a name and a file" },
        { new PopulationRequest("custom", Splits: [new SplitRequest("a", "x.json", 0, null)]), "Split 'a': size 0 is not positive" },
        { new PopulationRequest("dev", SquadVersion: "2"), "Version: '2' is not one of 1.1, 2.0." },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_requests_name_the_field_to_fix(PopulationRequest request, string expected)
    {
        var error = Assert.Throws<InputException>(request.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => request.Draw(_ => throw new InvalidOperationException("an invalid request loads nothing"), out _));
    }

    [Theory]
    [InlineData("dev", null)]
    [InlineData("dev", "/data/one.json")]
    [InlineData("tensorleap", null)]
    public void Presets_without_splits_are_valid(string preset, string? dataFile) => new PopulationRequest(preset, dataFile).Validate();

    [Fact]
    public void Dev_with_a_file_draws_every_question_of_that_file()
    {
        var file = InFixtures("valid-v1.1.json");

        var population = new PopulationRequest("dev", file, Seed: 9).Draw(Path.GetFullPath, out var dataFiles);

        Assert.Equal([file], dataFiles);
        Assert.Equal("dev", population.Preset);
        Assert.Null(population.Seed);
        Assert.Equal(SquadLoader.Load(file).Examples.Select(e => e.Id), population.Members.Select(m => m.Example.Id));
    }

    [Fact]
    public void Dev_without_a_file_reads_dev_v11_of_the_data_folder()
    {
        var asked = new List<string>();

        new PopulationRequest("dev").Draw(name => { asked.Add(name); return InFixtures("valid-v1.1.json"); }, out _);

        Assert.Equal([SquadFiles.DevV11], asked);
    }

    [Fact]
    public void Tensorleap_reads_train_then_dev_and_samples_with_the_seed()
    {
        var files = new Dictionary<string, string>
        {
            [SquadFiles.TrainV11] = InFixtures("analysis-v1.1.json"),
            [SquadFiles.DevV11] = InFixtures("valid-v1.1.json"),
        };

        var population = new PopulationRequest("tensorleap", Seed: 5).Draw(name => files[name], out var dataFiles);

        Assert.Equal([files[SquadFiles.TrainV11], files[SquadFiles.DevV11]], dataFiles);
        Assert.Equal(5UL, population.Seed);
        Assert.Equal(["training", "validation", "test"], population.Splits.Select(s => s.Name));
    }

    [Fact]
    public void Custom_splits_load_each_file_once_and_draw_as_the_presets_do()
    {
        var splits = new[]
        {
            new SplitRequest("one", "valid-v1.1.json", 2, ["Alpha"]),
            new SplitRequest("rest", "valid-v1.1.json", null, ["Beta"]),
            new SplitRequest("other", "analysis-v1.1.json", 3, null),
        };
        var resolved = new List<string>();

        var population = new PopulationRequest("custom", Seed: 11, Splits: splits)
            .Draw(name => { resolved.Add(name); return InFixtures(name); }, out var dataFiles);

        Assert.Equal(["valid-v1.1.json", "valid-v1.1.json", "analysis-v1.1.json"], resolved);
        Assert.Equal([InFixtures("valid-v1.1.json"), InFixtures("analysis-v1.1.json")], dataFiles);
        var expected = PopulationPresets.Custom(splits, name => SquadLoader.Load(InFixtures(name)), seed: 11);
        Assert.Equal(expected.Description, population.Description);
        Assert.Equal(expected.Members.Select(m => (m.Split, m.Example.Id)), population.Members.Select(m => (m.Split, m.Example.Id)));
        Assert.Equal(11UL, population.Seed);
    }

    [Fact]
    public void A_cancelled_draw_stops_before_loading()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => new PopulationRequest("dev").Draw(InFixtures, out _, cancelled.Token));
    }

    [Fact]
    public void Dev_v20_reads_dev_v20_of_the_data_folder()
    {
        var asked = new List<string>();

        var population = new PopulationRequest("dev", SquadVersion: "2.0").Draw(name => { asked.Add(name); return InFixtures("valid-v2.0.json"); }, out _);

        Assert.Equal([SquadFiles.DevV20], asked);
        Assert.True(population.IsVersion2);
        Assert.Contains(population.Members, m => m.Example.IsImpossible);
    }

    [Fact]
    public void Tensorleap_v20_draws_train_and_dev_v20()
    {
        var files = new Dictionary<string, string>
        {
            [SquadFiles.TrainV20] = InFixtures("valid-v2.0.json"),
            [SquadFiles.DevV20] = TestPaths.DevV20,
        };

        var population = new PopulationRequest("tensorleap", Seed: 5, SquadVersion: "2.0").Draw(name => files[name], out var dataFiles);

        Assert.Equal([files[SquadFiles.TrainV20], files[SquadFiles.DevV20]], dataFiles);
        Assert.True(population.IsVersion2);
        Assert.Contains(population.Members, m => m.Split == "validation" && m.Example.IsImpossible);
    }

    [Fact]
    public void A_custom_population_mixing_v11_and_v20_files_is_refused()
    {
        var splits = new[]
        {
            new SplitRequest("old", "valid-v1.1.json", null, null),
            new SplitRequest("new", "valid-v2.0.json", null, null),
        };

        var error = Assert.Throws<InputException>(() => new PopulationRequest("custom", Splits: splits).Draw(InFixtures, out _));

        Assert.StartsWith("Split 'new': valid-v2.0.json is SQuAD 2.0 but valid-v1.1.json (split 'old') is SQuAD 1.1;", error.Message, StringComparison.Ordinal);
        Assert.Contains("Use only v1.1 files or only v2.0 files.", error.Message, StringComparison.Ordinal);
    }
}
