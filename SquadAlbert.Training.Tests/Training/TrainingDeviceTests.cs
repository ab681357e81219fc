using SquadAlbert.Analysis;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SquadAlbert.Training.Tests.Training;

public sealed class TrainingDeviceTests
{
    [Fact]
    public void Cpu_and_auto_resolve_without_a_gpu_and_unknown_names_are_refused()
    {
        Assert.Equal(DeviceType.CPU, TrainingDevice.Resolve("cpu").type);
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, TrainingDevice.Resolve("auto").type);
        var error = Assert.Throws<InputException>(() => TrainingDevice.Resolve("tpu"));
        Assert.Contains("--device tpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_a_gpu_says_so()
    {
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, TrainingDevice.Resolve("cuda").type);
            return;
        }
        var error = Assert.Throws<InputException>(() => TrainingDevice.Resolve("cuda"));
        Assert.Contains("no CUDA device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_reports_the_device_of_its_parameters()
    {
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.SharedOneGroup));
        Assert.Equal(DeviceType.CPU, TrainingDevice.Of(model).type);
    }
}
