using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Tests.Runs;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class ModelFingerprintCacheTests
{
    [Fact]
    public void A_folder_is_hashed_once_per_version()
    {
        var folder = RunFixture.ModelFolder(seed: 1);
        var cache = new ModelFingerprintCache();

        var first = cache.Sha256(folder);
        var again = cache.Sha256(folder + Path.DirectorySeparatorChar);
        ReplaceWeights(folder, seed: 2);
        var changed = cache.Sha256(folder);

        Assert.Equal(ModelFingerprint.Sha256(folder), changed);
        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Equal(2, cache.Computations);
    }

    [Fact]
    public void A_run_whose_model_folder_changed_says_so_and_an_unchanged_one_says_nothing()
    {
        var database = RunFixture.NewDatabase();
        var folder = RunFixture.ModelFolder(seed: 1);
        var run = new RunStore(database).Find(AnalysisRunner.Run(database, RunFixture.Request(folder)).RunId)!;
        var cache = new ModelFingerprintCache();

        var before = RunModelCheck.Changed(run, cache);
        ReplaceWeights(folder, seed: 2);
        var after = RunModelCheck.Changed(run, cache);

        Assert.Null(before);
        Assert.NotNull(after);
        Assert.Contains($"The model folder '{run.ModelPath}' has changed since run {run.Id} was analysed", after, StringComparison.Ordinal);
        Assert.Contains(run.ModelSha256[..12], after, StringComparison.Ordinal);
        Assert.Null(RunModelCheck.Changed(run with { ModelPath = Path.Combine(folder, "gone") }, cache));
    }

    /// <summary>Writes another random model over the folder's weights, with a later modification time.</summary>
    internal static void ReplaceWeights(string folder, int seed)
    {
        var path = Path.Combine(folder, QaCheckpoint.WeightsFileName);
        var modified = File.GetLastWriteTimeUtc(path);
        var config = EncoderConfig.Load(Path.Combine(folder, EncoderConfig.FileName));
        QaCheckpoint.Random(config, seed).Save(folder);
        File.SetLastWriteTimeUtc(path, modified.AddSeconds(5));
    }
}
