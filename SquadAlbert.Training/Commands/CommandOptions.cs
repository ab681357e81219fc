using System.CommandLine;

namespace SquadAlbert.Training.Commands;

/// <summary>How the training tool declares an option with a default.</summary>
internal static class CommandOptions
{
    public static Option<T> WithDefault<T>(string name, T fallback, string description) =>
        new(name) { DefaultValueFactory = _ => fallback, Description = description };
}
