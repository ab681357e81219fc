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
return await CliRunner.RunAsync(root, args);
