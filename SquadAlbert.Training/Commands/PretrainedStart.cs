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
/// <param name="WeightsPath">The safetensors file the backbone tensors are read from.</param>
/// <param name="Config">The model folder's architecture; null for a pretrain backbone.</param>
/// <param name="Tokenizer">The model folder's tokenizer; null for a pretrain backbone.</param>
public sealed record PretrainedStart(string Source, string WeightsPath, EncoderTrainingConfig? Config, ISubwordTokenizer? Tokenizer)
{
    public static PretrainedStart Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var configPath = Path.Combine(path, EncoderConfig.FileName);
        if (Directory.Exists(path) && File.Exists(configPath) && !File.Exists(Path.Combine(path, PretrainCommand.BackboneFileName)))
        {
            var folder = Path.GetFullPath(path);
            var weights = Path.Combine(folder, QaCheckpoint.WeightsFileName);
            if (!File.Exists(weights))
            {
                throw new InputException($"--init-from {path}: {weights} not found.");
            }
            var config = EncoderTrainingConfig.Load(configPath);
            return new PretrainedStart(folder, weights, config, ModelTokenizer.Load(folder, config.Architecture));
        }
        var backbone = PretrainCommand.BackbonePath(path);
        return new PretrainedStart(backbone, backbone, null, null);
    }
}
