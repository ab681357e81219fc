using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;

namespace SquadAlbert.Analysis.Tests.Model;

/// <summary>Hostile or mistyped model configs end in a clear error, not in a process that eats all memory.</summary>
public sealed class GraphLimitsTests
{
    [Fact]
    public void A_graph_beyond_two_gigabytes_is_refused_before_anything_is_built()
    {
        // Every field within its bound, yet 100,000 × 4,096 embeddings alone are 1.6 GB, and the layers double it.
        var config = EncoderConfig.Bert(100_000, 4_096, 4, 16, 16_384, EncoderActivation.GeluErf, 512, 2, 1e-12);
        config.Validate("test");

        var error = Assert.Throws<InputException>(() => QaGraphBuilder.CheckSize(config));

        Assert.Contains("2 GB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_sized_models_fit()
    {
        QaGraphBuilder.CheckSize(EncoderConfig.Bert(30_522, 384, 6, 12, 1_536, EncoderActivation.GeluErf, 512, 2, 1e-12));
        QaGraphBuilder.CheckSize(TinyEncoders.TwoGroupsTwoInner);
    }

    [Fact]
    public void Building_stops_when_cancelled()
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.TwoGroupsTwoInner, seed: 3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => QaGraphBuilder.BuildInference(checkpoint, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => QaGraphBuilder.BuildInputGradient(checkpoint, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Element_counts_that_overflow_throw_instead_of_wrapping_to_zero()
    {
        // 65536⁴ = 2⁶⁴ wrapped to 0 with unchecked arithmetic.
        Assert.Throws<OverflowException>(() => FloatTensor.ElementCount([65536, 65536, 65536, 65536]));
        Assert.Throws<OverflowException>(() => FloatTensor.ElementCount([4, -1]));
        Assert.Equal(24L, FloatTensor.ElementCount([2, 3, 4]));
    }

    [Fact]
    public void A_safetensors_header_whose_shape_overflows_names_the_tensor()
    {
        var folder = TinyEncoders.TempDirectory();
        var path = Path.Combine(folder, "huge.safetensors");
        var header = """{"w":{"dtype":"F32","shape":[65536,65536,65536,65536],"data_offsets":[0,0]}}"""u8.ToArray();
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(header);
        }

        var error = Assert.Throws<InputException>(() => SafeTensors.Read(path));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("shape", error.Message, StringComparison.Ordinal);
    }
}
