using SquadAlbert.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Training;

/// <summary>
/// Where training runs: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>auto</c> (a GPU when libtorch sees one). Not part
/// of a run's settings: a run started on a GPU can resume on a CPU and the other way round (its batch order is a
/// function of seed and step alone; dropout masks come from each device's own generator).
/// </summary>
public static class TrainingDevice
{
    public const string Names = "cpu, cuda or auto";

    /// <summary>The device for <paramref name="name"/>; throws a clear message when a GPU is asked for and none is usable.</summary>
    public static Device Resolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new InputException("--device cuda: libtorch finds no CUDA device (is a CUDA build of libtorch on the library path?).");
                }
                EnableTensorCores();
                return CUDA;
            case "auto":
                if (torch.cuda.is_available())
                {
                    EnableTensorCores();
                    return CUDA;
                }
                return CPU;
            default:
                throw new InputException($"--device {name}: expected {Names}.");
        }
    }

    /// <summary>The device holding <paramref name="module"/>'s parameters (CPU for a module without any).</summary>
    public static Device Of(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var parameter in module.parameters())
        {
            return parameter.device;
        }
        return CPU;
    }

    // TF32 matrix products keep float32 storage and optimizer maths; the 10-bit mantissa in products is what
    // mixed-precision training accepts routinely, and it multiplies the GPU's matrix throughput several times.
    private static void EnableTensorCores()
    {
        torch.backends.cuda.matmul.allow_tf32 = true;
        torch.backends.cudnn.allow_tf32 = true;
    }
}
