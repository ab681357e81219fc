using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>
/// Resumable checkpoints in <see cref="Directory"/>: one sub-folder <c>step-NNNNNNNN</c> per save holding the weights
/// (<c>model.bin</c>), the AdamW state (<c>optimizer.bin</c>) and <c>progress.json</c>. A save is written to a
/// temporary folder and renamed, so a run killed mid-save leaves the previous checkpoint intact; older ones are
/// then deleted.
/// </summary>
public sealed class TrainingCheckpoints
{
    private const string Prefix = "step-";
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string ProgressFile = "progress.json";

    public TrainingCheckpoints(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>Whether a complete checkpoint exists (a run started here resumes from it).</summary>
    public bool Exist => Completed().Any();

    public void Save(nn.Module model, AdamW optimizer, TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(progress);
        System.IO.Directory.CreateDirectory(Directory);
        var name = Prefix + progress.Step.ToString("D8", CultureInfo.InvariantCulture);
        var final = Path.Combine(Directory, name);
        if (System.IO.Directory.Exists(final))
        {
            return;
        }
        var temporary = Path.Combine(Directory, name + ".tmp");
        if (System.IO.Directory.Exists(temporary))
        {
            System.IO.Directory.Delete(temporary, recursive: true);
        }
        System.IO.Directory.CreateDirectory(temporary);
        model.save(Path.Combine(temporary, ModelFile));
        optimizer.save_state_dict(Path.Combine(temporary, OptimizerFile));
        progress.Save(Path.Combine(temporary, ProgressFile));
        System.IO.Directory.Move(temporary, final);
        foreach (var older in Completed().Where(path => path != final))
        {
            System.IO.Directory.Delete(older, recursive: true);
        }
    }

    /// <summary>Loads the newest complete checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>;
    /// null when there is none.</summary>
    public TrainingProgress? TryLoadLatest(nn.Module model, AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var latest = Completed().LastOrDefault();
        if (latest is null)
        {
            return null;
        }
        model.load(Path.Combine(latest, ModelFile));
        optimizer.load_state_dict(Path.Combine(latest, OptimizerFile));
        return TrainingProgress.Load(Path.Combine(latest, ProgressFile));
    }

    /// <summary>Loads only the weights of the newest checkpoint (for export); its progress, or null when there is none.</summary>
    public TrainingProgress? TryLoadLatestWeights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var latest = Completed().LastOrDefault();
        if (latest is null)
        {
            return null;
        }
        model.load(Path.Combine(latest, ModelFile));
        return TrainingProgress.Load(Path.Combine(latest, ProgressFile));
    }

    private IEnumerable<string> Completed() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetDirectories(Directory, Prefix + "*")
                .Where(path => !path.EndsWith(".tmp", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];
}
