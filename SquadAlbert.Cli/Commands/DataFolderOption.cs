using System.CommandLine;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary>The <c>--data DIR</c> option shared by commands that read SQuAD files, and how a file argument is found.</summary>
public static class DataFolderOption
{
    public static Option<string?> Create() => new("--data")
    {
        Description = $"SQuAD data folder; otherwise ${SquadDataLocator.EnvironmentVariable}, otherwise {SquadDataLocator.UserDefaultDirectory}",
        HelpName = "DIR",
    };

    public static SquadDataDirectory Resolve(ParseResult parseResult, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return SquadDataLocator.Resolve(parseResult.GetValue(option));
    }

    /// <summary>A value with a folder in it is a path; a bare file name is looked up in the data folder.</summary>
    public static string ResolveFile(ParseResult parseResult, Option<string?> option, string fileNameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileNameOrPath);
        return fileNameOrPath.AsSpan().IndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) >= 0
            ? Path.GetFullPath(fileNameOrPath)
            : Resolve(parseResult, option).FindFile(fileNameOrPath);
    }
}
