using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

public sealed class RunLaunchTests : IDisposable
{
    private readonly RunsWorkspace _workspace = new(withModel: false);

    public void Dispose() => _workspace.Dispose();

    private SquadDataDirectory DataFolder => _workspace.Catalog.DataDirectory;

    [Fact]
    public void The_form_defaults_to_the_dev_preset_over_the_data_folder()
    {
        var form = new RunLaunchForm { ModelFolder = "/models/a" };

        var launch = form.ToLaunch(out var problem);

        Assert.Null(problem);
        Assert.Equal(new RunLaunch("/models/a", new PopulationRequest("dev")), launch);
    }

    [Fact]
    public void The_squad_version_and_null_threshold_pass_through_to_the_population_and_the_settings()
    {
        var form = new RunLaunchForm { ModelFolder = "/models/a", Preset = "tensorleap", SquadVersion = PopulationRequest.Version20, NullThreshold = " -1.5 " };

        var launch = form.ToLaunch(out var problem)!;

        Assert.Null(problem);
        Assert.Equal(PopulationRequest.Version20, launch.Population.SquadVersion);
        Assert.Equal(-1.5, launch.NullThreshold);
        Assert.Null(new RunLaunchForm { ModelFolder = "m" }.ToLaunch(out _)!.NullThreshold);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("NaN")]
    public void A_null_threshold_that_is_no_number_is_named(string threshold)
    {
        var form = new RunLaunchForm { ModelFolder = "m", NullThreshold = threshold };

        Assert.Null(form.ToLaunch(out var problem));
        Assert.StartsWith("Null threshold:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_split_keeps_version_1_1_since_its_files_carry_their_own()
    {
        var form = new RunLaunchForm { ModelFolder = "m", Preset = "custom", SplitFile = "dev-v2.0.json", SquadVersion = PopulationRequest.Version20 };

        Assert.Equal(PopulationRequest.Version11, form.ToLaunch(out _)!.Population.SquadVersion);
        Assert.False(form.OffersSquadVersion);
    }

    [Fact]
    public void A_typed_path_wins_over_the_chosen_file()
    {
        var form = new RunLaunchForm { ModelFolder = "m", DataFile = "train-v1.1.json", DataPath = " /tmp/x.json " };

        Assert.Equal("/tmp/x.json", form.ToLaunch(out _)!.Population.DataFile);
    }

    [Theory]
    [InlineData("", "dev", "", "", "Model folder")]
    [InlineData("m", "tensorleap", "dev-v1.1.json", "", "Data")]
    [InlineData("m", "custom", "", "0", "size")]
    [InlineData("m", "custom", "", "ten", "size")]
    [InlineData("m", "quick", "", "", "Preset")]
    public void Form_problems_name_the_field(string model, string preset, string file, string size, string field)
    {
        var form = new RunLaunchForm { ModelFolder = model, Preset = preset, DataFile = file, SplitSize = size };

        Assert.Null(form.ToLaunch(out var problem));
        Assert.Contains(field, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_split_carries_its_size_and_titles()
    {
        var form = new RunLaunchForm { ModelFolder = "m", Preset = "custom", SplitName = "s", SplitFile = "dev-v1.1.json", SplitSize = "5", SplitTitles = "A; B ;" };

        var launch = form.ToLaunch(out _)!;

        var split = Assert.Single(launch.Population.Splits!);
        Assert.Equal(("s", "dev-v1.1.json", 5), (split.Name, split.File, split.Size));
        Assert.Equal(["A", "B"], split.Titles);
    }

    [Fact]
    public void A_dev_request_draws_every_question_of_the_file()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);

        var request = new RunLaunch(_workspace.ModelFolder, new PopulationRequest("dev")).ToRequest(DataFolder);

        Assert.Equal(12, request.Population.Members.Count);
        Assert.Equal([Path.Combine(_workspace.DataFolder, "dev-v1.1.json")], request.DataFiles);
        Assert.Equal(new AnalysisSettings(), request.Settings);
    }

    [Fact]
    public void The_form_passes_its_precision_into_the_run_settings()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);
        var form = new RunLaunchForm { ModelFolder = _workspace.ModelFolder, Precision = InferencePrecision.Int8 };

        var launch = form.ToLaunch(out var problem);

        Assert.Null(problem);
        Assert.Equal(InferencePrecision.Int8, launch!.Precision);
        Assert.Equal(new AnalysisSettings(Precision: InferencePrecision.Int8), launch.ToRequest(DataFolder).Settings);
        Assert.Equal(new AnalysisSettings(), (launch with { Precision = InferencePrecision.Fp32 }).ToRequest(DataFolder).Settings);
    }

    [Fact]
    public void Window_sizes_follow_the_model_unless_the_launch_gives_settings()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);
        Analysis.Model.Checkpoint.ModelWindowDefaults.Write(_workspace.ModelFolder, Analysis.Model.Checkpoint.ModelFamily.Albert, 192);

        var request = new RunLaunch(_workspace.ModelFolder, new PopulationRequest("dev")).ToRequest(DataFolder);
        var given = new RunLaunch(_workspace.ModelFolder, new PopulationRequest("dev"), Settings: RunsWorkspace.Settings).ToRequest(DataFolder);

        Assert.Equal((192, 64, 48), (request.Settings.MaxSeqLength, request.Settings.DocStride, request.Settings.MaxQueryLength));
        Assert.Equal(RunsWorkspace.Settings, given.Settings);
    }

    [Fact]
    public void A_custom_request_samples_its_split()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);
        var launch = new RunLaunch(_workspace.ModelFolder, new PopulationRequest("custom", Splits: [new SplitRequest("part", RunsWorkspace.FixtureFile, 5, null)]));

        var request = launch.ToRequest(DataFolder);

        Assert.Equal(5, request.Population.Members.Count);
        Assert.All(request.Population.Members, m => Assert.Equal("part", m.Split));
    }

    [Fact]
    public void The_seed_typed_in_the_form_draws_the_population()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);
        var form = new RunLaunchForm { ModelFolder = _workspace.ModelFolder, Preset = "custom", SplitFile = RunsWorkspace.FixtureFile, SplitSize = "5" };
        IReadOnlyList<string> Drawn(ulong seed)
        {
            form.Seed = seed;
            var launch = form.ToLaunch(out var problem);
            Assert.True(launch is not null, problem);
            Assert.Equal(seed, launch.Population.Seed);
            var population = launch.ToRequest(DataFolder).Population;
            Assert.Equal(seed, population.Seed);
            return [.. population.Members.Select(m => m.Example.Id)];
        }

        var expected = PopulationPresets.Custom(
            [new SplitRequest(PopulationPresets.ValidationSplit, RunsWorkspace.FixtureFile, 5, null)], SquadLoader.Load, seed: 7);

        Assert.Equal(expected.Members.Select(m => m.Example.Id), Drawn(7));
        Assert.NotEqual(Drawn(7), Drawn(8));
    }

    [Fact]
    public void Tensorleap_without_train_says_which_file_is_missing()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);

        var error = Assert.Throws<InputException>(() => new RunLaunch(_workspace.ModelFolder, new PopulationRequest("tensorleap")).ToRequest(DataFolder));

        Assert.Contains("train-v1.1.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_incomplete_dev_runs_over_one_file_can_be_resumed_from_the_record()
    {
        var run = new RunInfo
        {
            Id = 3, RunKey = "key", ModelPath = "/m", ModelSha256 = "sha", DataFiles = """["/data/dev.json"]""", Preset = "dev", Population = "p",
            SettingsJson = new AnalysisSettings(MaxSeqLength: 128).ToJson(), Status = RunStatus.Incomplete,
            CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), FinishedAt = null, SampleCount = 10, BatchCount = 1,
        };

        Assert.Equal(new RunLaunch("/m", new PopulationRequest("dev", "/data/dev.json"), Settings: new AnalysisSettings(MaxSeqLength: 128)), RunLaunch.ResumeOf(run));
        Assert.Null(RunLaunch.ResumeOf(run with { Status = RunStatus.Finished }));
        var int8 = RunLaunch.ResumeOf(run with { SettingsJson = new AnalysisSettings(MaxSeqLength: 128, Precision: InferencePrecision.Int8).ToJson() })!;
        Assert.Equal((InferencePrecision.Int8, InferencePrecision.Int8), (int8.Precision, int8.Settings!.Precision));
        Assert.Null(RunLaunch.ResumeOf(run with { Preset = "tensorleap" }));
    }

    [Fact]
    public void The_first_start_offer_follows_the_model_and_the_data()
    {
        var model = new ResolvedSetting(_workspace.ModelFolder, SettingSource.Configuration, "SquadAlbert:ModelDirectory");

        var missingFolder = FirstStartOffer.Evaluate(0, model, null, DataFolder);
        Assert.Equal(FirstStartKind.MissingModel, missingFolder.Kind);
        Assert.Contains("does not exist", missingFolder.Problem, StringComparison.Ordinal);
        Assert.Contains("SQUADALBERT_MODEL", missingFolder.Problem, StringComparison.Ordinal);

        var unresolved = FirstStartOffer.Evaluate(0, null, "No shipped model found.", DataFolder);
        Assert.Equal(FirstStartKind.MissingModel, unresolved.Kind);
        Assert.Contains("SquadAlbert:ModelDirectory", unresolved.Problem, StringComparison.Ordinal);

        Directory.CreateDirectory(_workspace.ModelFolder);
        File.WriteAllText(Path.Combine(_workspace.ModelFolder, "spiece.model"), "");
        var ready = FirstStartOffer.Evaluate(0, model, null, DataFolder);
        Assert.Equal(FirstStartKind.Ready, ready.Kind);
        Assert.Equal(new RunLaunch(_workspace.ModelFolder, new PopulationRequest("dev", Path.Combine(_workspace.DataFolder, "dev-v1.1.json"))), ready.Launch());

        Assert.Equal(FirstStartKind.None, FirstStartOffer.Evaluate(1, model, null, DataFolder).Kind);

        File.Delete(Path.Combine(_workspace.DataFolder, "dev-v1.1.json"));
        var noData = FirstStartOffer.Evaluate(0, model, null, DataFolder);
        Assert.Equal(FirstStartKind.MissingData, noData.Kind);
        Assert.Contains(_workspace.DataFolder, noData.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5.2, "6 s")]
    [InlineData(75, "1 min 15 s")]
    [InlineData(3 * 3600 + 120, "3 h 02 min")]
    public void Durations_read_naturally(double seconds, string text) => Assert.Equal(text, RunJobSnapshot.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
