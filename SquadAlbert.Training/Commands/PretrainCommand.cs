using System.CommandLine;
using SquadAlbert.Cli;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary><c>pretrain</c>: masked-LM + sentence-order pre-training on SQuAD v1.1 train's contexts; writes
/// <c>backbone.safetensors</c> into the run folder for <c>train --init-from</c>.</summary>
public static class PretrainCommand
{
    public const string BackboneFileName = "backbone.safetensors";

    public static Command Create()
    {
        var runDir = new Option<string?>("--run-dir") { Description = "Run folder; default ~/.squad-albert/runs/<--run-name>. An existing run resumes." };
        var runName = CommandOptions.WithDefault("--run-name", "albert-pretrain", "Name of the run under ~/.squad-albert/runs when --run-dir is not given.");
        var dataDir = new Option<string?>("--data") { Description = "SQuAD folder with train-v1.1.json (else SQUADALBERT_DATA, then the usual places)." };
        var tokenizer = CommandOptions.WithDefault("--tokenizer", Path.Combine("models", "tokenizer", "spiece.model"), "SentencePiece model (ALBERT layout, with [MASK]).");
        var seqLength = CommandOptions.WithDefault("--seq-length", 192, "Tokens per sequence.");
        var maskProbability = CommandOptions.WithDefault("--mask-probability", 0.15, "Share of tokens chosen for masked-LM prediction.");
        var model = new ModelSizeOptions();
        var optimizer = new OptimizerOptions();
        var runtime = new RuntimeOptions();
        var command = new Command("pretrain", "Pre-train an ALBERT backbone with masked-LM + sentence-order prediction on the SQuAD v1.1 training contexts; resumes an existing run folder.")
        {
            runDir, runName, dataDir, tokenizer, seqLength, maskProbability,
        };
        model.AddTo(command);
        optimizer.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(CliRunner.Cancellable((parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var device = runtime.Apply(parse);
            var albertTokenizer = AlbertTokenizer.Load(parse.GetValue(tokenizer)!);
            if (albertTokenizer.MaskId < 0)
            {
                throw new InputException($"{parse.GetValue(tokenizer)}: no {AlbertTokenizer.MaskPiece} piece; masked-LM pre-training needs one.");
            }
            var config = model.Config(parse, albertTokenizer.VocabularySize);
            var probability = parse.GetValue(maskProbability);
            if (probability is <= 0 or >= 1)
            {
                throw new InputException($"--mask-probability {probability.ToString(CultureInfo.InvariantCulture)}: must lie strictly between 0 and 1.");
            }
            var settings = new PretrainingSettings(optimizer.Options(parse, int.MaxValue), parse.GetValue(seqLength), probability);
            var run = new TrainingRun(parse.GetValue(runDir) ?? TrainingRun.DefaultDirectory(parse.GetValue(runName)!));
            run.CreateOrVerify(config, settings);

            var data = SquadDataLocator.Resolve(parse.GetValue(dataDir));
            var contexts = SquadLoader.Load(data.FindFile(SquadFiles.OfficialTrainV11.FileName)).Examples
                .Select(e => e.Context).Distinct(StringComparer.Ordinal).ToArray();
            var examples = PretrainingCorpus.Build(contexts, albertTokenizer, settings.MaxSeqLength, settings.Training.Seed);
            var masking = new MaskingOptions(probability, albertTokenizer.MaskId, FirstRandomId: albertTokenizer.MaskId + 1,
                albertTokenizer.VocabularySize,
                new[] { albertTokenizer.ClsId, albertTokenizer.SepId, albertTokenizer.PadId }.Where(id => id >= 0).ToHashSet());
            output.WriteLine($"{contexts.Length} contexts → {examples.Count} sequences of up to {settings.MaxSeqLength} tokens; device {device.type}; run folder {run.Directory}");

            using var trainer = new PretrainingTrainer(config, settings.Training, examples, masking, run.Checkpoints, run.LogPath, output, device);
            trainer.TryResume();
            using var stop = runtime.StopToken(parse, cancellation);
            trainer.Run(cancellation: stop.Token);
            var backbone = Path.Combine(run.Directory, BackboneFileName);
            trainer.SaveBackbone(backbone);
            output.WriteLine($"stopped at step {trainer.Progress.Step} of {trainer.TotalSteps}; backbone in {backbone}");
            return 0;
        }));
        return command;
    }

    /// <summary>The backbone file of <paramref name="path"/>: the file itself, or <see cref="BackboneFileName"/> in a run folder.</summary>
    public static string BackbonePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Directory.Exists(path) ? Path.Combine(path, BackboneFileName) : path;
        if (!File.Exists(file))
        {
            throw new InputException($"--init-from {path}: {file} not found (run pretrain first).");
        }
        return Path.GetFullPath(file);
    }
}
