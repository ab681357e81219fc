using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>squad-albert population [tensorleap|dev|custom]</c>: draws a population and prints its splits.</summary>
public static class PopulationCommand
{
    private const int TitlesShown = 10;

    public static Command Create()
    {
        var preset = new Argument<string>("preset")
        {
            Description = "tensorleap: top 3 train titles / top 3 dev titles / next 3 dev titles; dev: all of dev; custom: --split",
            DefaultValueFactory = _ => PopulationPresets.TensorleapPreset,
        };
        preset.AcceptOnlyFromAmong(PopulationPresets.TensorleapPreset, PopulationPresets.DevPreset, PopulationPresets.CustomPreset);
        var data = DataFolderOption.Create();
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => PopulationPresets.DefaultSeed };
        var splits = new Option<string[]>("--split") { Description = "custom preset split: " + SplitRequest.Syntax, AllowMultipleArgumentsPerToken = false };
        var list = new Option<bool>("--list") { Description = "Also print every member as split<TAB>id<TAB>title" };
        var squadVersion = SquadVersionOption.Create();
        var command = new Command("population", "Draw the questions an analysis runs on and show its splits") { preset, data, seed, splits, list, squadVersion };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var request = Request(parseResult.GetValue(preset)!, null, parseResult.GetValue(seed), parseResult.GetValue(splits), parseResult.GetValue(squadVersion));
            var population = request.Draw(file => DataFolderOption.ResolveFile(parseResult, data, file), out _);
            Print(output, population, parseResult.GetValue(list));
            return 0;
        });
        return command;
    }

    /// <summary>The population the options ask for; each <c>--split</c> value is read with <see cref="SplitRequest.Parse"/>.</summary>
    public static PopulationRequest Request(string preset, string? dataFile, ulong seed, IReadOnlyList<string>? splits, string? squadVersion = null) =>
        new(preset, dataFile, seed, splits is { Count: > 0 } ? [.. splits.Select(SplitRequest.Parse)] : null, squadVersion ?? PopulationRequest.Version11);

    private static void Print(TextWriter output, Population population, bool listMembers)
    {
        output.WriteLine(population.Description);
        foreach (var split in population.Splits)
        {
            var titles = DatasetStatistics.RankTitles(population.Members.Where(m => m.Split == split.Name).Select(m => m.Example));
            var shown = string.Join(", ", titles.Take(TitlesShown).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Title} ({t.Questions:N0})")));
            var more = titles.Count > TitlesShown ? string.Create(CultureInfo.InvariantCulture, $", ... {titles.Count - TitlesShown} more titles") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {split.Name}: {split.Drawn:N0} questions, {titles.Count} title{(titles.Count == 1 ? "" : "s")}: {shown}{more}"));
        }
        if (listMembers)
        {
            foreach (var member in population.Members)
            {
                output.WriteLine($"{member.Split}\t{member.Example.Id}\t{member.Example.Title}");
            }
        }
    }
}
