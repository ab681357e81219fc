using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Commands;

/// <summary>
/// What <c>train --init-from</c> starts from. A Hugging Face model folder (<c>config.json</c> beside the weights)
/// brings its own architecture and tokenizer; a pretrain run folder (or its <c>backbone.safetensors</c>) brings only
/// backbone weights for the sizes given on the command line.
/// </summary>
/// <param name="Source">What the run records as its start (the folder, or the backbone file).</param>
/// <param name="Config">The model folder's architecture; null for a pretrain backbone.</param>
/// <param name="Tokenizer">The model folder's tokenizer; null for a pretrain backbone.</param>
public sealed record PretrainedStart(string Source, EncoderTrainingConfig? Config, ISubwordTokenizer? Tokenizer)
{
    public static PretrainedStart Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var configPath = Path.Combine(path, EncoderConfig.FileName);
        if (Directory.Exists(path) && File.Exists(configPath) && !File.Exists(Path.Combine(path, PretrainCommand.BackboneFileName)))
        {
            var folder = Path.GetFullPath(path);
            if (!CheckpointWeights.Exist(folder))
            {
                throw new InputException($"--init-from {path}: no weights ({CheckpointWeights.SafeTensorsFileName} or {CheckpointWeights.PyTorchFileName}).");
            }
            var config = EncoderTrainingConfig.Load(configPath);
            return new PretrainedStart(folder, config, ModelTokenizer.Load(folder, config.Architecture));
        }
        return new PretrainedStart(PretrainCommand.BackbonePath(path), null, null);
    }

    /// <summary>The weights to start from, by Hugging Face name.</summary>
    public IReadOnlyDictionary<string, FloatTensor> ReadWeights() =>
        Config is null ? SafeTensors.Read(Source) : CheckpointWeights.Read(Source).Tensors;
}
