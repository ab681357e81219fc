using System.CommandLine;
using SquadAlbert.Cli;
using SquadAlbert.Training.Commands;

var root = new RootCommand("squad-albert-train: import pretrained weights, pre-train and train an ALBERT or BERT QA model on SQuAD with TorchSharp (CPU or CUDA) and export it.")
{
    PretrainCommand.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
    ImportMiniLmCommand.Create(),
    BenchmarkCommand.Create(),
};
// Ctrl-C or SIGTERM stops training after the current step and saves a checkpoint, which takes up to a step and a save.
return await CliRunner.RunAsync(root, args, terminationGrace: TimeSpan.FromMinutes(10));
