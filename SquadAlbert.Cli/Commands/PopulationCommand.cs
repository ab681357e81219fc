using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// One <c>--split</c> value of the custom preset: <c>NAME=FILE:SIZE:TITLES</c>, SIZE a number or <c>all</c>,
/// TITLES separated by <c>;</c> or <c>*</c> for every title (titles may hold commas and colons, never semicolons).
/// </summary>
public sealed record SplitSpec(string Name, string File, int? Size, IReadOnlyList<string>? Titles)
{
    public const string Syntax = "NAME=FILE:SIZE:TITLE[;TITLE...]  (SIZE a number or 'all', TITLES '*' for all)";

    public static SplitSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var parts = equals > 0 ? text[(equals + 1)..].Split(':', 3) : [];
        if (parts.Length != 3 || parts[0].Length == 0)
        {
            throw new InputException($"--split '{text}' is not {Syntax}.");
        }
        int? size = null;
        if (!parts[1].Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                throw new InputException($"--split '{text}': size '{parts[1]}' must be a positive number or 'all'.");
            }
            size = number;
        }
        var titles = parts[2].Trim() == "*"
            ? null
            : parts[2].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (titles is { Length: 0 })
        {
            throw new InputException($"--split '{text}' names no titles; use '*' for all titles.");
        }
        return new SplitSpec(text[..equals].Trim(), parts[0], size, titles);
    }
}

/// <summary><c>squad-albert population [tensorleap|dev|custom]</c>: draws a population and prints its splits.</summary>
public static class PopulationCommand
{
    private const int TitlesShown = 10;

    public static Command Create()
    {
        var preset = new Argument<string>("preset")
        {
            Description = "tensorleap: top 3 train titles / top 3 dev titles / next 3 dev titles; dev: all of dev-v1.1; custom: --split",
            DefaultValueFactory = _ => PopulationPresets.TensorleapPreset,
        };
        preset.AcceptOnlyFromAmong(PopulationPresets.TensorleapPreset, PopulationPresets.DevPreset, PopulationPresets.CustomPreset);
        var data = DataFolderOption.Create();
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => PopulationPresets.DefaultSeed };
        var splits = new Option<string[]>("--split") { Description = "custom preset split: " + SplitSpec.Syntax, AllowMultipleArgumentsPerToken = false };
        var list = new Option<bool>("--list") { Description = "Also print every member as split<TAB>id<TAB>title" };
        var command = new Command("population", "Draw the questions an analysis runs on and show its splits") { preset, data, seed, splits, list };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var population = Draw(parseResult, parseResult.GetValue(preset)!, data, parseResult.GetValue(seed), parseResult.GetValue(splits) ?? [], out _);
            Print(output, population, parseResult.GetValue(list));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Draws the population of a preset; file names are found with <see cref="DataFolderOption.ResolveFile"/>.
    /// <paramref name="loadedFiles"/> lists the full paths of the SQuAD files read, in first-use order.
    /// </summary>
    public static Population Draw(ParseResult parseResult, string preset, Option<string?> data, ulong seed, IReadOnlyList<string> splitSpecs, out IReadOnlyList<string> loadedFiles)
    {
        var loaded = new Dictionary<string, SquadDataset>(StringComparer.Ordinal);
        var order = new List<string>();
        SquadDataset Load(string nameOrPath)
        {
            var path = DataFolderOption.ResolveFile(parseResult, data, nameOrPath);
            if (!loaded.TryGetValue(path, out var dataset))
            {
                loaded[path] = dataset = SquadLoader.Load(path);
                order.Add(path);
            }
            return dataset;
        }
        if (splitSpecs.Count > 0 != (preset == PopulationPresets.CustomPreset))
        {
            throw new InputException("--split is required by the custom preset and only allowed there.");
        }
        var population = preset switch
        {
            PopulationPresets.DevPreset => PopulationPresets.Dev(Load(SquadFiles.DevV11)),
            PopulationPresets.CustomPreset => PopulationPresets.Custom(
                [.. splitSpecs.Select(SplitSpec.Parse).Select(s => new SplitRequest(s.Name, Load(s.File), s.Titles, s.Size))], seed),
            _ => PopulationPresets.Tensorleap(Load(SquadFiles.TrainV11), Load(SquadFiles.DevV11), seed),
        };
        loadedFiles = order;
        return population;
    }

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
