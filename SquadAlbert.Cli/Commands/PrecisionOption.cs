using System.CommandLine;
using SquadAlbert.Analysis.Model.Inference;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--precision fp32|int8</c> of the commands that run a model's forward graph (see <see cref="InferencePrecision"/>).</summary>
public static class PrecisionOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--precision")
        {
            Description = "forward arithmetic of a checkpoint's graph: fp32, or int8 (the encoder's matrix products in 8-bit integers: faster, answers differ slightly)",
            DefaultValueFactory = _ => InferencePrecisionNames.Fp32,
        };
        option.AcceptOnlyFromAmong([.. InferencePrecisionNames.All]);
        return option;
    }

    public static InferencePrecision Resolve(ParseResult parse, Option<string> option) =>
        InferencePrecisionNames.Parse(parse.GetValue(option) ?? InferencePrecisionNames.Fp32);
}
