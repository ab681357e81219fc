using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Model.Onnx.Proto;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class Int8GraphTests
{
    private const int OnnxInt8 = 3;
    private const int OnnxFloat = 1;

    public static IEnumerable<object[]> ConfigsAndSchemes() =>
        from config in TinyEncoders.Configs()
        from scheme in Enum.GetValues<Int8Scheme>()
        select new object[] { config[0], scheme };

    /// <summary>
    /// The int8 graph against the fp32 graph of the same random checkpoint (ALBERT with shared layers, ALBERT with two
    /// groups of two layers, BERT) on a padded batch: every logit within 5 % of the largest fp32 logit, and the two
    /// embeddings within 5 % of their largest component; and not equal, or the int8 path would not be running.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConfigsAndSchemes))]
    public void Int8_logits_and_embeddings_stay_close_to_fp32(string configName, Int8Scheme scheme)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 7);
        QaWindow[] windows = [TinyEncoders.Window(0, 0, 4, 9, seed: 1), TinyEncoders.Window(1, 0, 3, 14, seed: 2), TinyEncoders.Window(2, 0, 5, 25, seed: 3)];
        var options = new QaRunOptions(BatchSize: 3, IncludeEmbeddings: true);
        using var fp32 = QaModelSession.FromCheckpoint(checkpoint, threads: 1);
        using var int8 = QaModelSession.FromCheckpoint(checkpoint, threads: 1, precision: InferencePrecision.Int8, int8Scheme: scheme);

        var expected = fp32.Run(windows, options);
        var actual = int8.Run(windows, options);

        var (logitScale, logitDelta) = Deltas(expected, actual, o => o.StartLogits.Concat(o.EndLogits));
        var (embeddingScale, embeddingDelta) = Deltas(expected, actual, o => o.ClsEmbedding!.Concat(o.ContextMeanEmbedding!));
        Assert.True(logitDelta > 0, "the int8 graph gave exactly the fp32 logits");
        Assert.True(logitDelta <= 0.05 * logitScale, $"max |Δ logit| {logitDelta} against a largest logit of {logitScale}");
        Assert.True(embeddingDelta <= 0.05 * embeddingScale, $"max |Δ embedding| {embeddingDelta} against a largest component of {embeddingScale}");
    }

    /// <summary>Per-token scales depend on the token's own row only, so unlike a per-tensor scale they do not change
    /// with the windows a window is batched with (or with the padding the batch adds).</summary>
    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void A_per_token_int8_window_gets_the_same_logits_alone_and_in_a_padded_batch(string configName)
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 3);
        var shortWindow = TinyEncoders.Window(0, 0, 2, 5, seed: 11);
        var longWindows = Enumerable.Range(1, 3).Select(i => TinyEncoders.Window(i, 0, 4, 20 + i, seed: 20 + i)).ToList();
        using var session = QaModelSession.FromCheckpoint(checkpoint, threads: 1, precision: InferencePrecision.Int8, int8Scheme: Int8Scheme.PerToken);

        var alone = session.Run([shortWindow])[0];
        var batched = session.Run([.. longWindows, shortWindow], new QaRunOptions(BatchSize: 4))[3];

        for (var t = 0; t < shortWindow.Length; t++)
        {
            Assert.Equal(alone.StartLogits[t], batched.StartLogits[t], 1e-5);
            Assert.Equal(alone.EndLogits[t], batched.EndLogits[t], 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(TinyEncoders.Configs), MemberType = typeof(TinyEncoders))]
    public void Only_the_six_linear_layers_of_each_encoder_layer_are_integer(string configName)
    {
        var config = TinyEncoders.ByName(configName);
        var names = config.ParameterNames;
        var model = ModelProto.Parser.ParseFrom(QaGraphBuilder.BuildInference(QaCheckpoint.Random(config, seed: 7), precision: InferencePrecision.Int8));

        // One int8 copy per distinct layer (ALBERT's shared layers share it), one integer product per layer applied.
        var layers = Enumerable.Range(0, config.NumHiddenGroups)
            .SelectMany(group => Enumerable.Range(0, config.InnerGroupNum).Select(inner => names.Layer(group, inner)));
        var expected = layers.SelectMany(l => new[] { l.Query, l.Key, l.Value, l.AttentionOutput, l.Intermediate, l.Output })
            .Select(prefix => prefix + ".weight.int8").Order(StringComparer.Ordinal);
        var int8 = model.Graph.Initializer.Where(t => t.DataType == OnnxInt8).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expected, int8);
        Assert.Equal(6 * config.NumHiddenLayers * config.InnerGroupNum, model.Graph.Node.Count(n => n.OpType == "MatMulIntegerToFloat"));

        // Embeddings, the ALBERT projection and the QA head stay float; no encoder layer keeps a float weight copy.
        var floats = model.Graph.Initializer.Where(t => t.DataType == OnnxFloat).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>([names.WordEmbeddings, names.PositionEmbeddings, names.TokenTypeEmbeddings, EncoderParameterNames.QaOutputs + ".weight.T"]), floats);
        if (names.EmbeddingProjection is { } projection)
        {
            Assert.Contains(projection + ".weight.T", floats);
        }
        Assert.DoesNotContain(floats, name => name.Contains(".layer", StringComparison.Ordinal) && name.EndsWith(".weight.T", StringComparison.Ordinal));
        // LayerNorm, softmax and the attention scores are float operators.
        Assert.Equal(2 * config.NumHiddenLayers * config.InnerGroupNum + 1, model.Graph.Node.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(config.NumHiddenLayers * config.InnerGroupNum, model.Graph.Node.Count(n => n.OpType == "Softmax"));
        Assert.Contains(model.OpsetImport, o => o.Domain == OnnxGraphWriter.MicrosoftDomain);
    }

    [Fact]
    public void The_fp32_and_input_gradient_graphs_have_no_integer_operator()
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.Bert, seed: 7);

        foreach (var bytes in new[] { QaGraphBuilder.BuildInference(checkpoint), QaGraphBuilder.BuildInputGradient(checkpoint) })
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == OnnxInt8);
            Assert.DoesNotContain(model.Graph.Node, n => n.Domain == OnnxGraphWriter.MicrosoftDomain);
            Assert.DoesNotContain(model.OpsetImport, o => o.Domain == OnnxGraphWriter.MicrosoftDomain);
        }
    }

    [Fact]
    public void A_user_export_runs_as_exported_and_refuses_int8()
    {
        var folder = TinyEncoders.TempDirectory();
        File.WriteAllBytes(Path.Combine(folder, QaModelSession.OnnxFileName), QaGraphBuilder.BuildInference(QaCheckpoint.Random(TinyEncoders.Bert, seed: 7)));

        using (QaModelSession.Open(folder, threads: 1))
        {
        }
        var error = Assert.Throws<InputException>(() => QaModelSession.Open(folder, threads: 1, precision: InferencePrecision.Int8));

        Assert.Contains("--precision int8", error.Message, StringComparison.Ordinal);
        Assert.Contains(QaModelSession.OnnxFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8_is_only_a_precision_of_the_float32_inference_graph()
    {
        var checkpoint = QaCheckpoint.Random(TinyEncoders.Bert, seed: 7);

        Assert.Throws<ArgumentException>(() => QaGraphBuilder.BuildInference(checkpoint, OnnxElementType.DoublePrecision, InferencePrecision.Int8));
    }

    /// <summary>The largest |value| of <paramref name="values"/> over the fp32 outputs and the largest |fp32 − int8|.</summary>
    private static (double Scale, double Delta) Deltas(
        IReadOnlyList<QaWindowOutput> expected, IReadOnlyList<QaWindowOutput> actual, Func<QaWindowOutput, IEnumerable<float>> values)
    {
        var scale = 0.0;
        var delta = 0.0;
        for (var w = 0; w < expected.Count; w++)
        {
            foreach (var (a, b) in values(expected[w]).Zip(values(actual[w])))
            {
                scale = Math.Max(scale, Math.Abs(a));
                delta = Math.Max(delta, Math.Abs(a - b));
            }
        }
        return (scale, delta);
    }
}
