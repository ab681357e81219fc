using System.CommandLine;
using SquadAlbert.Analysis.Configuration;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--model DIR</c>, optional: without it the shipped default model is used (see <see cref="DefaultModelLocator"/>).</summary>
public static class ModelFolderOption
{
    public static Option<DirectoryInfo> Create(string what) => new("--model")
    {
        Description = $"{what} (otherwise ${DefaultModelLocator.EnvironmentVariable}, otherwise the shipped {DefaultModelLocator.ShippedModelRelativePath})",
        HelpName = "DIR",
    };

    /// <summary>The model folder the user asked for, or the default one.</summary>
    public static string Resolve(ParseResult parse, Option<DirectoryInfo> option) =>
        DefaultModelLocator.Resolve(parse.GetValue(option)?.FullName).Path;
}

/// <summary><c>--db FILE</c>, optional: without it the per-user run database the dashboard also reads (see <see cref="RunDatabaseLocator"/>).</summary>
public static class DatabaseOption
{
    public static Option<FileInfo> Create(string what) => new("--db")
    {
        Description = $"{what} (otherwise ${RunDatabaseLocator.EnvironmentVariable}, otherwise {RunDatabaseLocator.UserDefaultPath})",
        HelpName = "FILE",
    };

    public static string Resolve(ParseResult parse, Option<FileInfo> option)
    {
        var path = RunDatabaseLocator.Resolve(parse.GetValue(option)?.FullName).Path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
