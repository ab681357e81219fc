using System.CommandLine;
using SquadAlbert.Cli;
using SquadAlbert.Training.Commands;

var root = new RootCommand("squad-albert-train: pre-train and train an ALBERT QA model on SQuAD with TorchSharp (CPU or CUDA) and export it.")
{
    PretrainCommand.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
    BenchmarkCommand.Create(),
};
return await CliRunner.RunAsync(root, args);
