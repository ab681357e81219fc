using System.CommandLine;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary><c>train</c>: train (or resume training) an ALBERT QA model from scratch on SQuAD v1.1 train.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        Option<T> Opt<T>(string name, T fallback, string description) =>
            new(name) { DefaultValueFactory = _ => fallback, Description = description };
        var runDir = new Option<string?>("--run-dir") { Description = "Run folder (config, settings, loss log, checkpoints); default ~/.squad-albert/runs/<--run-name>. An existing run resumes." };
        var runName = Opt("--run-name", "albert-squad", "Name of the run under ~/.squad-albert/runs when --run-dir is not given.");
        var dataDir = new Option<string?>("--data") { Description = "SQuAD folder with train-v1.1.json and dev-v1.1.json (else SQUADALBERT_DATA, then the usual places)." };
        var tokenizer = Opt("--tokenizer", Path.Combine("models", "tokenizer", "spiece.model"), "SentencePiece model (ALBERT layout).");
        var model = new ModelSizeOptions();
        var seqLength = Opt("--seq-length", 256, "Window length in tokens.");
        var docStride = Opt("--doc-stride", 128, "Overlap between windows of a long context.");
        var maxQuery = Opt("--max-query-length", 64, "Question tokens kept.");
        var batch = Opt("--batch-size", 16, "Windows per optimizer step.");
        var lr = Opt("--lr", 1e-3, "Peak learning rate.");
        var weightDecay = Opt("--weight-decay", 0.01, "AdamW weight decay.");
        var beta1 = Opt("--beta1", 0.9, "AdamW beta1.");
        var beta2 = Opt("--beta2", 0.999, "AdamW beta2.");
        var warmup = Opt("--warmup", 0.06, "Warm-up as a fraction of all steps.");
        var clip = Opt("--max-grad-norm", 1.0, "Gradient clipping norm.");
        var seed = Opt("--seed", 42, "Seed of initialisation, data order and dropout.");
        var epochs = Opt("--epochs", 1, "Epochs over the training windows (ignored with --max-steps).");
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many optimizer steps." };
        var evalEvery = Opt("--eval-every", 500, "Evaluate EM/F1 every N steps.");
        var evalQuestions = Opt("--eval-questions", 500, "Questions of dev-v1.1 (the first N) used for evaluation.");
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only the first N training questions (tiny runs)." };
        var checkpointMinutes = Opt("--checkpoint-minutes", 10.0, "Save a resumable checkpoint every N minutes.");
        var threads = Opt("--threads", 2, "Torch CPU threads.");
        var device = Opt("--device", "auto", $"Where to train: {TrainingDevice.Names} (a GPU when libtorch sees one). Not part of the run's settings.");
        var stopAfter = new Option<double?>("--stop-after-minutes") { Description = "Stop (with a checkpoint) after this many minutes of training; the same command resumes." };
        var command = new Command("train", "Train an ALBERT QA model from scratch on SQuAD v1.1 train; resumes an existing run folder.")
        {
            runDir, runName, dataDir, tokenizer, seqLength, docStride, maxQuery, batch, lr, weightDecay, beta1, beta2, warmup, clip, seed, epochs, maxSteps,
            evalEvery, evalQuestions, trainLimit, checkpointMinutes, threads, device, stopAfter,
        };
        model.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            // The device first: libtorch's CUDA library is then loaded before any CPU work starts.
            var trainingDevice = TrainingDevice.Resolve(parse.GetValue(device)!);
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var albertTokenizer = AlbertTokenizer.Load(parse.GetValue(tokenizer)!);
            var config = model.Config(parse, albertTokenizer.VocabularySize);
            var settings = new RunSettings(
                new TrainingOptions(
                    parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(weightDecay), parse.GetValue(beta1), parse.GetValue(beta2),
                    WarmupFraction: parse.GetValue(warmup), MaxGradNorm: parse.GetValue(clip), Seed: parse.GetValue(seed),
                    Epochs: parse.GetValue(epochs), MaxSteps: parse.GetValue(maxSteps), EvaluateEverySteps: parse.GetValue(evalEvery),
                    CheckpointEveryMinutes: parse.GetValue(checkpointMinutes)),
                new QaFeaturizerOptions(parse.GetValue(seqLength), parse.GetValue(docStride), parse.GetValue(maxQuery)),
                parse.GetValue(trainLimit),
                parse.GetValue(evalQuestions));
            settings.Featurizer.Validate();
            var run = new TrainingRun(parse.GetValue(runDir) ?? TrainingRun.DefaultDirectory(parse.GetValue(runName)!));
            run.CreateOrVerify(config, settings);

            var data = SquadDataLocator.Resolve(parse.GetValue(dataDir));
            var featurizer = new QaFeaturizer(albertTokenizer, settings.Featurizer);
            var train = SquadLoader.Load(data.FindFile(SquadFiles.OfficialTrainV11.FileName)).Examples;
            var trainExamples = settings.TrainExampleLimit is { } limit ? train.Take(limit).ToArray() : train;
            var trainWindows = featurizer.Featurize(trainExamples).ToArray();
            var dev = SquadLoader.Load(data.FindFile(SquadFiles.OfficialDevV11.FileName)).Examples.Take(settings.EvalQuestions).ToArray();
            var evaluator = new SquadSubsetEvaluator(dev, featurizer.Featurize(dev).ToArray());
            output.WriteLine($"{trainExamples.Count} training questions → {trainWindows.Length} windows; evaluating on {dev.Length} dev questions; device {trainingDevice.type}; run folder {run.Directory}");

            using var trainer = new QaTrainer(config, settings.Training, trainWindows, run.Checkpoints, run.LogPath, evaluator, output, trainingDevice);
            trainer.TryResume();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            if (parse.GetValue(stopAfter) is { } minutes)
            {
                stop.CancelAfter(TimeSpan.FromMinutes(minutes));
            }
            trainer.Run(cancellation: stop.Token);
            if (trainer.Progress.Step >= trainer.TotalSteps && trainer.Progress.Step % settings.Training.EvaluateEverySteps != 0)
            {
                trainer.Evaluate();
            }
            output.WriteLine($"stopped at step {trainer.Progress.Step} of {trainer.TotalSteps}; checkpoint in {run.Checkpoints.Directory}");
            return Task.FromResult(0);
        });
        return command;
    }
}
