using System.CommandLine;
using SquadAlbert.Cli;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Commands;

/// <summary><c>train</c>: train (or resume training) an ALBERT QA model on SQuAD v1.1 train, from scratch or from a
/// pre-trained backbone.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var runDir = new Option<string?>("--run-dir") { Description = "Run folder (config, settings, loss log, checkpoints); default ~/.squad-albert/runs/<--run-name>. An existing run resumes." };
        var runName = CommandOptions.WithDefault("--run-name", "albert-squad", "Name of the run under ~/.squad-albert/runs when --run-dir is not given.");
        var dataDir = new Option<string?>("--data") { Description = "SQuAD folder with train-v1.1.json and dev-v1.1.json (else SQUADALBERT_DATA, then the usual places)." };
        var tokenizer = CommandOptions.WithDefault("--tokenizer", Path.Combine("models", "tokenizer", "spiece.model"), "SentencePiece model (ALBERT layout).");
        var model = new ModelSizeOptions();
        var optimizer = new OptimizerOptions();
        var runtime = new RuntimeOptions();
        var seqLength = CommandOptions.WithDefault("--seq-length", 256, "Window length in tokens.");
        var docStride = CommandOptions.WithDefault("--doc-stride", 128, "Overlap between windows of a long context.");
        var maxQuery = CommandOptions.WithDefault("--max-query-length", 64, "Question tokens kept.");
        var evalEvery = CommandOptions.WithDefault("--eval-every", 500, "Evaluate EM/F1 every N steps.");
        var evalQuestions = CommandOptions.WithDefault("--eval-questions", 500, "Questions of dev-v1.1 (the first N) used for evaluation.");
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only the first N training questions (tiny runs)." };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from pretrained weights: a Hugging Face model folder (ALBERT or BERT, e.g. from import-minilm; its config, tokenizer and backbone are used, the size options ignored), or a pretrain run folder or its backbone.safetensors (same model sizes)." };
        var command = new Command("train", "Train an ALBERT or BERT QA model on SQuAD v1.1 train (from scratch or from pretrained weights); resumes an existing run folder.")
        {
            runDir, runName, dataDir, tokenizer, seqLength, docStride, maxQuery, evalEvery, evalQuestions, trainLimit, initFrom,
        };
        model.AddTo(command);
        optimizer.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(CliRunner.Cancellable((parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var trainingDevice = runtime.Apply(parse);
            var pretrained = parse.GetValue(initFrom) is { } init ? PretrainedStart.Resolve(init) : null;
            var modelTokenizer = pretrained?.Tokenizer ?? AlbertTokenizer.Load(parse.GetValue(tokenizer)!);
            var config = pretrained?.Config ?? model.Config(parse, modelTokenizer.VocabularySize);
            var settings = new RunSettings(
                optimizer.Options(parse, parse.GetValue(evalEvery)),
                new QaFeaturizerOptions(parse.GetValue(seqLength), parse.GetValue(docStride), parse.GetValue(maxQuery)),
                parse.GetValue(trainLimit),
                parse.GetValue(evalQuestions),
                pretrained?.Source);
            settings.Featurizer.Validate();
            var run = new TrainingRun(parse.GetValue(runDir) ?? TrainingRun.DefaultDirectory(parse.GetValue(runName)!));
            run.CreateOrVerify(config, settings);

            var data = SquadDataLocator.Resolve(parse.GetValue(dataDir));
            var featurizer = new QaFeaturizer(modelTokenizer, settings.Featurizer);
            var train = SquadLoader.Load(data.FindFile(SquadFiles.OfficialTrainV11.FileName)).Examples;
            var trainExamples = settings.TrainExampleLimit is { } limit ? train.Take(limit).ToArray() : train;
            var trainWindows = featurizer.Featurize(trainExamples).ToArray();
            var dev = SquadLoader.Load(data.FindFile(SquadFiles.OfficialDevV11.FileName)).Examples.Take(settings.EvalQuestions).ToArray();
            var evaluator = new SquadSubsetEvaluator(dev, featurizer.Featurize(dev).ToArray());
            output.WriteLine($"{trainExamples.Count} training questions → {trainWindows.Length} windows; evaluating on {dev.Length} dev questions; device {trainingDevice.type}; run folder {run.Directory}");

            // A resumed run takes its weights from the checkpoint: the backbone is read only for a fresh start.
            Action<Model.EncoderQaModel>? initialWeights = pretrained is null || run.Checkpoints.Exist ? null : qa =>
            {
                var copied = qa.ImportPretrained(pretrained.ReadWeights(), pretrained.Source);
                output.WriteLine($"initialised {copied} tensors from {pretrained.Source}");
            };
            using var trainer = new QaTrainer(config, settings.Training, trainWindows, run.Checkpoints, run.LogPath, evaluator, output, trainingDevice, initialWeights);
            trainer.TryResume();
            using var stop = runtime.StopToken(parse, cancellation);
            trainer.Run(cancellation: stop.Token);
            if (trainer.Progress.Step >= trainer.TotalSteps && trainer.Progress.Step % settings.Training.EvaluateEverySteps != 0)
            {
                trainer.Evaluate();
            }
            output.WriteLine($"stopped at step {trainer.Progress.Step} of {trainer.TotalSteps}; checkpoint in {run.Checkpoints.Directory}");
            return 0;
        }));
        return command;
    }
}
