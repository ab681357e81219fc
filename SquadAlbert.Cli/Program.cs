using SquadAlbert.Cli;

return await CliRunner.RunAsync(CommandCatalog.Root(), args);
