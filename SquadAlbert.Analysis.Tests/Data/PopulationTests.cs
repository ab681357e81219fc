using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public class SplitMix64Tests
{
    [Fact]
    public void Matches_the_reference_sequence()
    {
        // Published SplitMix64 outputs for seeds 0 and 1234567.
        var zero = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, zero.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, zero.Next());
        Assert.Equal(0x06C45D188009454FUL, zero.Next());
        var other = new SplitMix64(1234567);
        Assert.Equal(6457827717110365317UL, other.Next());
        Assert.Equal(3203168211198807973UL, other.Next());
    }

    [Fact]
    public void Bounded_values_stay_in_range_and_cover_it()
    {
        var random = new SplitMix64(7);
        var seen = new int[5];
        for (var i = 0; i < 1000; i++)
        {
            seen[random.NextBelow(5)]++;
        }
        Assert.All(seen, count => Assert.InRange(count, 150, 250));
    }
}

[Collection(SquadFilesGroup.Name)]
public class PopulationTests(SquadFilesFixture files)
{
    [Fact]
    public void Tensorleap_uses_the_top_titles_and_takes_all_when_a_group_is_smaller_than_asked()
    {
        var population = PopulationPresets.Tensorleap(files.TrainV11, files.DevV11, seed: 42);

        Assert.Equal(["training", "validation", "test"], population.Splits.Select(s => s.Name));
        var training = population.Splits[0];
        Assert.Equal(["New_York_City", "American_Idol", "Beyoncé"], training.Titles);
        Assert.Equal((4000, 817 + 802 + 758, 817 + 802 + 758, true), (training.Requested!.Value, training.Available, training.Drawn, training.IsShort));
        var validation = population.Splits[1];
        Assert.Equal(["Super_Bowl_50", "Nikola_Tesla", "Martin_Luther"], validation.Titles);
        Assert.Equal((2000, 810 + 511 + 479, true), (validation.Requested!.Value, validation.Drawn, validation.IsShort));
        var test = population.Splits[2];
        Assert.Equal(["American_Broadcasting_Company", "Doctor_Who", "Economic_inequality"], test.Titles);
        Assert.Equal(407 + 319 + 297, test.Drawn);
        Assert.Equal(2377 + 1800 + 1023, population.Members.Count);
        Assert.All(population.Members.Where(m => m.Split == "test"), m => Assert.Contains(m.Example.Title, test.Titles!));
        Assert.Contains("training: 2,377 questions (all there are; 4,000 requested) from train-v1.1.json, titles New_York_City, American_Idol, Beyoncé", population.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensorleap_samples_when_groups_are_larger_than_asked_and_the_seed_decides_which()
    {
        var sizes = new TensorleapSizes(Training: 500, Validation: 300, Test: 200);

        var first = PopulationPresets.Tensorleap(files.TrainV11, files.DevV11, seed: 1, sizes);
        var again = PopulationPresets.Tensorleap(files.TrainV11, files.DevV11, seed: 1, sizes);
        var other = PopulationPresets.Tensorleap(files.TrainV11, files.DevV11, seed: 2, sizes);

        Assert.Equal([500, 300, 200], first.Splits.Select(s => s.Drawn));
        Assert.DoesNotContain(first.Splits, s => s.IsShort);
        Assert.Equal(Ids(first), Ids(again));
        Assert.NotEqual(Ids(first), Ids(other));
        Assert.Equal(1000, Ids(first).Distinct().Count());
        Assert.Contains("training: 500 questions sampled from 2,377 from train-v1.1.json", first.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Dev_preset_is_all_of_dev_in_one_validation_split()
    {
        var population = PopulationPresets.Dev(files.DevV11);

        Assert.Null(population.Seed);
        Assert.Equal(10570, population.Members.Count);
        Assert.All(population.Members, m => Assert.Equal("validation", m.Split));
        Assert.Equal(files.DevV11.Examples.Select(e => e.Id), population.Members.Select(m => m.Example.Id));
    }

    [Fact]
    public void Custom_splits_draw_from_chosen_titles_in_file_order()
    {
        var dev = SquadLoader.Load(TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")));

        var population = PopulationPresets.Custom([new SplitRequest("a", dev.SourcePath, 2, ["Alpha"]), new SplitRequest("b", dev.SourcePath, null, ["Beta"])], _ => dev, seed: 3);

        var a = population.Members.Where(m => m.Split == "a").Select(m => m.Example).ToList();
        Assert.Equal(2, a.Count);
        Assert.All(a, e => Assert.Equal("Alpha", e.Title));
        Assert.True(a[0].Location.ParagraphIndex * 10 + a[0].Location.QuestionIndex < a[1].Location.ParagraphIndex * 10 + a[1].Location.QuestionIndex);
        Assert.Equal(["b-0-0"], population.Members.Where(m => m.Split == "b").Select(m => m.Example.Id));
    }

    [Fact]
    public void Custom_request_errors_name_the_problem()
    {
        var dev = SquadLoader.Load(TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")));

        var unknown = Assert.Throws<InputException>(() => PopulationPresets.Custom([new SplitRequest("a", dev.SourcePath, 1, ["Alpha", "Nope"])], _ => dev));
        Assert.Contains("split 'a' names title(s) 'Nope' that have no questions in", unknown.Message, StringComparison.Ordinal);
        var overlap = Assert.Throws<InputException>(() => PopulationPresets.Custom([new SplitRequest("a", dev.SourcePath, null, ["Beta"]), new SplitRequest("b", dev.SourcePath, null, null)], _ => dev));
        Assert.Contains("question 'b-0-0' of valid-v1.1.json (title 'Beta') would be in both split 'a' and 'b'", overlap.Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => PopulationPresets.Custom([new SplitRequest("a", dev.SourcePath, 0, null)], _ => dev));
        Assert.Throws<InputException>(() => PopulationPresets.Custom([new SplitRequest("a", dev.SourcePath, 1, ["Alpha"]), new SplitRequest("a", dev.SourcePath, 1, ["Beta"])], _ => dev));
    }

    private static List<string> Ids(Population population) => [.. population.Members.Select(m => m.Example.Id)];
}
