using System.Text.Json;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Training;

/// <summary>What defines a run besides the model config: optimisation, featurization and data limits, and the
/// pre-trained backbone (<c>backbone.safetensors</c>) the weights started from, if any.</summary>
public sealed record RunSettings(TrainingOptions Training, QaFeaturizerOptions Featurizer, int? TrainExampleLimit, int EvalQuestions, string? InitFrom = null);

/// <summary>What defines a pre-training run besides the model config.</summary>
public sealed record PretrainingSettings(TrainingOptions Training, int MaxSeqLength, double MaskProbability);

/// <summary>
/// A run folder: <c>config.json</c> (model), <c>run.json</c> (<see cref="RunSettings"/>), <c>loss-log.jsonl</c>
/// and <c>checkpoints/</c>. Starting a run in a folder that already holds one resumes it, and only with the
/// same settings, so a resumed run cannot silently train a different model.
/// </summary>
public sealed class TrainingRun
{
    public const string RunFileName = "run.json";
    public const string LogFileName = "loss-log.jsonl";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public TrainingRun(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "config.json");

    public string RunPath => Path.Combine(Directory, RunFileName);

    public string LogPath => Path.Combine(Directory, LogFileName);

    public TrainingCheckpoints Checkpoints => new(Path.Combine(Directory, "checkpoints"));

    /// <summary>Default folder, outside the repository: <c>~/.squad-albert/runs/NAME</c>.</summary>
    public static string DefaultDirectory(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".squad-albert", "runs", name);

    public bool Exists => File.Exists(ConfigPath) && File.Exists(RunPath);

    /// <summary>Creates the run files, or checks that an existing run has exactly these settings.</summary>
    public void CreateOrVerify<TSettings>(EncoderTrainingConfig config, TSettings settings) where TSettings : class
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        if (Exists)
        {
            var storedConfig = EncoderTrainingConfig.Load(ConfigPath);
            if (storedConfig != config)
            {
                throw new InputException($"{ConfigPath}: the run folder holds a different model config ({storedConfig}); use another --run-dir or the same sizes.");
            }
            var storedSettings = LoadSettings<TSettings>();
            if (!storedSettings.Equals(settings))
            {
                throw new InputException($"{RunPath}: the run folder holds different settings ({storedSettings}); use another --run-dir or the same options.");
            }
            return;
        }
        System.IO.Directory.CreateDirectory(Directory);
        config.Save(ConfigPath);
        File.WriteAllText(RunPath, JsonSerializer.Serialize(settings, Json));
    }

    public RunSettings LoadSettings() => LoadSettings<RunSettings>();

    public TSettings LoadSettings<TSettings>() where TSettings : class
    {
        if (!File.Exists(RunPath))
        {
            throw new InputException($"{RunPath}: not a training run folder (run.json missing).");
        }
        try
        {
            return JsonSerializer.Deserialize<TSettings>(File.ReadAllText(RunPath))
                ?? throw new InputException($"{RunPath}: empty run settings.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{RunPath}: invalid run settings at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }
    }

    /// <summary>The last evaluation recorded in the loss log, if any.</summary>
    public QaScore? LastEvaluation()
    {
        if (!File.Exists(LogPath))
        {
            return null;
        }
        QaScore? last = null;
        foreach (var line in File.ReadLines(LogPath))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("eval_f1", out var f1))
            {
                last = new QaScore(root.GetProperty("eval_exact_match").GetDouble(), f1.GetDouble(), root.GetProperty("eval_questions").GetInt32());
            }
        }
        return last;
    }
}
