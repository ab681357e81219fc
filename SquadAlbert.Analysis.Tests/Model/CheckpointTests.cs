using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class CheckpointTests
{
    [Fact]
    public void Safetensors_round_trip_keeps_shapes_values_and_skips_metadata()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "t.safetensors");
        var tensors = new Dictionary<string, FloatTensor>
        {
            ["b"] = new([2, 3], [1, -2, 3.5f, 0, float.Epsilon, 1e30f]),
            ["a"] = new([1], [42]),
        };

        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var read = SafeTensors.Read(path);

        Assert.Equal(["a", "b"], read.Keys.Order());
        Assert.Equal([2, 3], read["b"].Shape);
        Assert.Equal(tensors["b"].Data, read["b"].Data);
        Assert.Equal(0, (BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path)) + 8) % 8);
    }

    [Fact]
    public void Safetensors_reader_converts_f16_and_bf16()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "half.safetensors");
        var data = new byte[8];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-0.25));
        // bfloat16 of 3.0f is the top 16 bits of 0x40400000, of -2.0f those of 0xC0000000.
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 0x4040);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), 0xC000);
        WriteRaw(path, """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""", data);

        var read = SafeTensors.Read(path);

        Assert.Equal([1.5f, -0.25f], read["h"].Data);
        Assert.Equal([3f, -2f], read["b"].Data);
    }

    [Fact]
    public void Truncated_safetensors_names_the_file_and_the_tensor()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "cut.safetensors");
        SafeTensors.Write(path, new Dictionary<string, FloatTensor> { ["w"] = new([4], [1, 2, 3, 4]) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var error = Assert.Throws<InputException>(() => SafeTensors.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", "dtype")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", "bad header entry")]
    public void Bad_safetensors_headers_are_reported(string header, string expected)
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "bad.safetensors");
        WriteRaw(path, header, new byte[8]);

        var error = Assert.Throws<InputException>(() => SafeTensors.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_reported()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InputException>(() => SafeTensors.Read(path));

        Assert.Contains("header length 1000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_round_trips_through_a_model_folder()
    {
        var directory = TinyEncoders.TempDirectory();
        var original = QaCheckpoint.Random(TinyEncoders.TwoGroupsTwoInner, seed: 1);

        original.Save(directory);
        var loaded = QaCheckpoint.Load(directory);

        Assert.Equal(original.Config, loaded.Config);
        foreach (var (name, _) in EncoderParameterNames.Expected(original.Config))
        {
            Assert.Equal(original[name].Data, loaded[name].Data);
        }
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var directory = SavedTinyModel();
        var weights = Path.Combine(directory, QaCheckpoint.WeightsFileName);
        var tensors = SafeTensors.Read(weights).Where(t => t.Key != "qa_outputs.bias").ToDictionary();
        SafeTensors.Write(weights, tensors);

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing tensor 'qa_outputs.bias'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_shape_names_the_tensor_and_both_shapes()
    {
        var directory = SavedTinyModel();
        var weights = Path.Combine(directory, QaCheckpoint.WeightsFileName);
        var tensors = SafeTensors.Read(weights).ToDictionary();
        const string name = "albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight";
        tensors[name] = new FloatTensor([16, 24], tensors[name].Data);
        SafeTensors.Write(weights, tensors);

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains($"tensor '{name}' has shape [16, 24], but config.json implies [24, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bert_checkpoint_round_trips_through_a_model_folder()
    {
        var directory = TinyEncoders.TempDirectory();
        var original = QaCheckpoint.Random(TinyEncoders.Bert, seed: 1);

        original.Save(directory);
        var loaded = QaCheckpoint.Load(directory);

        Assert.Equal(TinyEncoders.Bert, loaded.Config);
        var written = SafeTensors.Read(Path.Combine(directory, QaCheckpoint.WeightsFileName));
        Assert.Equal(EncoderParameterNames.Expected(TinyEncoders.Bert).Select(p => p.Name).Order(StringComparer.Ordinal),
            written.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, _) in EncoderParameterNames.Expected(original.Config))
        {
            Assert.Equal(original[name].Data, loaded[name].Data);
        }
    }

    [Theory]
    [InlineData("bert.encoder.layer.2.attention.self.key.bias")]
    [InlineData("bert.embeddings.LayerNorm.weight")]
    [InlineData("qa_outputs.weight")]
    public void A_missing_bert_tensor_is_named(string name)
    {
        var directory = SavedTinyModel(TinyEncoders.Bert);
        var weights = Path.Combine(directory, QaCheckpoint.WeightsFileName);
        SafeTensors.Write(weights, SafeTensors.Read(weights).Where(t => t.Key != name).ToDictionary());

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
        Assert.Contains($"missing tensor '{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_albert_checkpoint_under_a_bert_config_is_refused_naming_a_bert_tensor()
    {
        // The weights of the other family: every name differs, so the first expected BERT tensor is reported.
        var directory = SavedTinyModel(TinyEncoders.SharedOneGroup);
        TinyEncoders.Bert.Save(Path.Combine(directory, EncoderConfig.FileName));

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains("missing tensor 'bert.embeddings.word_embeddings.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_bert_shape_names_the_tensor_and_both_shapes()
    {
        var directory = SavedTinyModel(TinyEncoders.Bert);
        var weights = Path.Combine(directory, QaCheckpoint.WeightsFileName);
        var tensors = SafeTensors.Read(weights).ToDictionary();
        const string name = "bert.encoder.layer.1.intermediate.dense.weight";
        tensors[name] = new FloatTensor([16, 24], tensors[name].Data);
        SafeTensors.Write(weights, tensors);

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
        Assert.Contains($"tensor '{name}' has shape [16, 24], but config.json implies [24, 16]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hidden_size", "\"big\"", "field 'hidden_size' must be an integer")]
    [InlineData("num_attention_heads", "3", "must be divisible by 'num_attention_heads'")]
    [InlineData("num_hidden_groups", "2", "must be divisible by 'num_hidden_groups'")]
    [InlineData("hidden_act", "\"relu\"", "field 'hidden_act'")]
    [InlineData("layer_norm_eps", "0", "field 'layer_norm_eps' must be positive")]
    [InlineData("vocab_size", null, "required field 'vocab_size' is missing")]
    public void Bad_config_fields_are_named(string field, string? value, string expected)
    {
        var directory = SavedTinyModel();
        var configPath = Path.Combine(directory, EncoderConfig.FileName);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        json.Remove(field);
        if (value is not null)
        {
            json[field] = JsonNode.Parse(value);
        }
        File.WriteAllText(configPath, json.ToJsonString());

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.Contains(configPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hugging_face_layer_sharing_maps_repetitions_to_groups()
    {
        var config = TinyEncoders.SharedOneGroup with { NumHiddenLayers = 12, NumHiddenGroups = 3 };

        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], Enumerable.Range(0, 12).Select(config.GroupOfRepetition));
    }

    private static string SavedTinyModel() => SavedTinyModel(TinyEncoders.SharedOneGroup);

    private static string SavedTinyModel(EncoderConfig config)
    {
        var directory = TinyEncoders.TempDirectory();
        QaCheckpoint.Random(config, seed: 2).Save(directory);
        return directory;
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);
        stream.Write(data);
    }
}
