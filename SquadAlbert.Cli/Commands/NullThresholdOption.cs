using System.CommandLine;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>--null-threshold</c> of <c>predict</c> and <c>analyze</c>: the SQuAD 2.0 no-answer threshold (see <see cref="ModelNullThreshold"/>).</summary>
public static class NullThresholdOption
{
    public static Option<double?> Create() => new("--null-threshold")
    {
        Description = "SQuAD 2.0 files: answer \"\" when null score - best span score is above this " +
            $"(default: the model's config.json field {ModelNullThreshold.FieldName}, else {ModelNullThreshold.Default:F1}); ignored on SQuAD 1.1",
    };

    /// <summary>The threshold for a run over <paramref name="dataset"/>: null on SQuAD 1.1 (a given option is reported as ignored).</summary>
    public static double? ForDataset(ParseResult parse, Option<double?> option, string modelFolder, SquadDataset dataset, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(warn);
        var given = parse.GetValue(option);
        if (!dataset.IsVersion2)
        {
            if (given is not null)
            {
                warn($"--null-threshold ignored: {dataset.SourcePath} is {dataset.VersionName}, where every question has an answer.");
            }
            return null;
        }
        return ModelNullThreshold.Resolve(given, modelFolder);
    }
}
