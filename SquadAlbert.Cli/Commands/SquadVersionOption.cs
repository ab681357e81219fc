using System.CommandLine;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--squad-version 1.1|2.0</c>: which data-folder files the dev and tensorleap presets draw from (<see cref="PopulationRequest.SquadVersion"/>).</summary>
public static class SquadVersionOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--squad-version")
        {
            Description = $"dev and tensorleap presets: draw from the v1.1 files ({SquadFiles.DevV11}, {SquadFiles.TrainV11}) or the v2.0 files " +
                $"({SquadFiles.DevV20}, {SquadFiles.TrainV20}); a --data FILE or --split files carry their own version",
            DefaultValueFactory = _ => PopulationRequest.Version11,
        };
        option.AcceptOnlyFromAmong([.. PopulationRequest.Versions]);
        return option;
    }
}
