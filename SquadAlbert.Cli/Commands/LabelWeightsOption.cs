using System.CommandLine;
using SquadAlbert.Analysis.LabelQuality;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--label-weights FILE</c> of the commands that run the latent analysis: the learned label-error score's
/// weights from a <c>label-noise fit</c> of the user's own, instead of the library's default.</summary>
public static class LabelWeightsOption
{
    public static Option<FileInfo?> Create() => new("--label-weights")
    {
        Description = "weights of the learned label-error score, written by `label-noise fit` (default: the weights SquadAlbert ships)",
        HelpName = "FILE",
    };

    /// <summary>The weights the option names, read and checked now (before any work), or the default.</summary>
    public static LabelErrorWeights Resolve(ParseResult parse, Option<FileInfo?> option) =>
        parse.GetValue(option) is { } file ? LabelErrorWeights.Load(file.FullName) : LabelErrorWeights.Default;
}
