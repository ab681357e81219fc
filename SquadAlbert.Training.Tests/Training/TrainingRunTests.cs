using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Training;

public sealed class TrainingRunTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("training-run-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    private static RunSettings Settings(int batch) =>
        new(new TrainingOptions(BatchSize: batch, MaxSteps: 100), new QaFeaturizerOptions(256, 128, 64), null, 500);

    [Fact]
    public void Run_files_written_before_init_from_existed_still_resume()
    {
        var run = new TrainingRun(_scratch.FullName);
        var config = TinyModels.WithDropout(TinyModels.SharedOneGroup);
        run.CreateOrVerify(config, Settings(16));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(run.RunPath))!.AsObject();
        Assert.True(json.Remove("InitFrom"));
        File.WriteAllText(run.RunPath, json.ToJsonString());

        Assert.Null(run.LoadSettings().InitFrom);
        run.CreateOrVerify(config, Settings(16));
        Assert.Throws<Analysis.InputException>(() => run.CreateOrVerify(config, Settings(16) with { InitFrom = "/x/backbone.safetensors" }));
    }

    [Fact]
    public void Pretraining_settings_round_trip_and_are_verified_like_qa_settings()
    {
        var run = new TrainingRun(_scratch.FullName);
        var config = TinyModels.WithDropout(TinyModels.SharedOneGroup);
        var settings = new PretrainingSettings(new TrainingOptions(BatchSize: 8), 192, 0.15);
        run.CreateOrVerify(config, settings);
        Assert.Equal(settings, run.LoadSettings<PretrainingSettings>());
        Assert.Throws<Analysis.InputException>(() => run.CreateOrVerify(config, settings with { MaskProbability = 0.2 }));
    }

    [Fact]
    public void Same_settings_resume_and_different_settings_are_refused_naming_the_file()
    {
        var run = new TrainingRun(_scratch.FullName);
        var config = TinyModels.WithDropout(TinyModels.SharedOneGroup);
        run.CreateOrVerify(config, Settings(16));
        Assert.Equal(Settings(16), run.LoadSettings());
        run.CreateOrVerify(config, Settings(16));

        var settingsError = Assert.Throws<Analysis.InputException>(() => run.CreateOrVerify(config, Settings(8)));
        Assert.Contains(run.RunPath, settingsError.Message, StringComparison.Ordinal);
        var configError = Assert.Throws<Analysis.InputException>(
            () => run.CreateOrVerify(config with { InitializerRange = 0.5 }, Settings(16)));
        Assert.Contains(run.ConfigPath, configError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_evaluation_is_read_from_the_loss_log()
    {
        var run = new TrainingRun(_scratch.FullName);
        Assert.Null(run.LastEvaluation());
        File.WriteAllLines(run.LogPath,
        [
            "{\"step\":1,\"loss\":5}",
            "{\"step\":1,\"eval_exact_match\":1,\"eval_f1\":2,\"eval_questions\":3}",
            "{\"step\":2,\"eval_exact_match\":4.5,\"eval_f1\":6.25,\"eval_questions\":7}",
            "{\"step\":3,\"loss\":4}",
        ]);
        Assert.Equal(new QaScore(4.5, 6.25, 7), run.LastEvaluation());
    }
}
