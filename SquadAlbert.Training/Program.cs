using System.CommandLine;
using SquadAlbert.Cli;
using SquadAlbert.Training.Commands;

var root = new RootCommand("squad-albert-train: train an ALBERT QA model from scratch on SQuAD with TorchSharp (CPU or CUDA) and export it.")
{
    TrainCommand.Create(),
    ExportCommand.Create(),
    BenchmarkCommand.Create(),
};
return await CliRunner.RunAsync(root, args);
