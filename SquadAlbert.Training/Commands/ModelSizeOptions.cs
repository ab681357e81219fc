using System.CommandLine;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Commands;

/// <summary>The model-size options shared by <c>train</c> and <c>benchmark</c>; defaults are the planned model.</summary>
public sealed class ModelSizeOptions
{
    private readonly Option<int> _embedding = CommandOptions.WithDefault("--embedding-size", 128, "Embedding size.");
    private readonly Option<int> _hidden = CommandOptions.WithDefault("--hidden-size", 256, "Hidden size.");
    private readonly Option<int> _layers = CommandOptions.WithDefault("--layers", 6, "Layer repetitions (num_hidden_layers).");
    private readonly Option<int> _groups = CommandOptions.WithDefault("--groups", 1, "Layer groups with their own weights (num_hidden_groups).");
    private readonly Option<int> _inner = CommandOptions.WithDefault("--inner-layers", 1, "Layers per group (inner_group_num).");
    private readonly Option<int> _heads = CommandOptions.WithDefault("--heads", 4, "Attention heads.");
    private readonly Option<int> _intermediate = CommandOptions.WithDefault("--intermediate-size", 1024, "Feed-forward size.");
    private readonly Option<int> _maxPositions = CommandOptions.WithDefault("--max-positions", 512, "Position embeddings (max_position_embeddings).");
    private readonly Option<double> _dropout = CommandOptions.WithDefault("--dropout", 0.1, "Hidden and attention dropout.");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _embedding, _hidden, _layers, _groups, _inner, _heads, _intermediate, _maxPositions, _dropout })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The configured model for a vocabulary of <paramref name="vocabularySize"/> pieces (gelu_new, 2 token types).</summary>
    public EncoderTrainingConfig Config(ParseResult parse, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var architecture = new EncoderConfig(
            vocabularySize, parse.GetValue(_embedding), parse.GetValue(_hidden), parse.GetValue(_layers),
            parse.GetValue(_groups), parse.GetValue(_inner), parse.GetValue(_heads), parse.GetValue(_intermediate),
            EncoderActivation.GeluTanh, parse.GetValue(_maxPositions), TypeVocabSize: 2, LayerNormEps: 1e-12);
        architecture.Validate("command line");
        var dropout = parse.GetValue(_dropout);
        return new EncoderTrainingConfig(architecture, dropout, dropout);
    }
}
