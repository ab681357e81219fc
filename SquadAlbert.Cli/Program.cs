using System.CommandLine;
using SquadAlbert.Cli;

var root = new RootCommand("squad-albert: find why an extractive QA model fails on SQuAD-format data.");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}
return await CliRunner.RunAsync(root, args);
