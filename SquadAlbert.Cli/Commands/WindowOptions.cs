using System.CommandLine;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Cli.Commands;

/// <summary>
/// <c>--max-seq-length</c>, <c>--doc-stride</c>, <c>--max-query-length</c> of the commands that run a model; each one
/// left out comes from the model folder (<see cref="ModelWindowDefaults"/>), so a model trained on short windows
/// is never fed positions it has not learnt.
/// </summary>
public sealed class WindowOptions
{
    public Option<int?> MaxSeqLength { get; } = new("--max-seq-length") { Description = "tokens per window (default: from the model's tokenizer_config.json, at most 384)" };

    public Option<int?> DocStride { get; } = new("--doc-stride") { Description = "context tokens shared by consecutive windows (default: a third of the window, at most 128)" };

    public Option<int?> MaxQueryLength { get; } = new("--max-query-length") { Description = "question tokens kept (default: a quarter of the window, at most 64)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(MaxSeqLength);
        command.Options.Add(DocStride);
        command.Options.Add(MaxQueryLength);
    }

    public QaFeaturizerOptions Resolve(ParseResult parse, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var maxSeqLength = parse.GetValue(MaxSeqLength);
        var fromModel = ModelWindowDefaults.ForMaxLength(maxSeqLength ?? ModelWindowDefaults.ModelMaxLength(modelFolder));
        return new QaFeaturizerOptions(
            fromModel.MaxSeqLength,
            parse.GetValue(DocStride) ?? fromModel.DocStride,
            parse.GetValue(MaxQueryLength) ?? fromModel.MaxQueryLength);
    }
}
