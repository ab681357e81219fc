using System.IO.Compression;
using System.Text;
using System.Text.Json;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Tests.Model;

/// <summary>
/// The fixtures in Fixtures/pytorch were written by real PyTorch (1.13.1, Debian 12) with
/// scripts/fixtures/make_torch_checkpoints.py; each <c>&lt;case&gt;.expected.json</c> holds what torch itself
/// reads back as float32. Broken variants are made here, from a valid fixture or a hand-written pickle.
/// </summary>
public sealed class PyTorchCheckpointTests
{
    [Theory]
    [InlineData("albert-qa")]
    [InlineData("bert-qa")]
    [InlineData("dtypes")]
    [InlineData("views")]
    [InlineData("legacy")]
    public void Every_tensor_equals_what_torch_saved(string fixture)
    {
        var read = PyTorchCheckpoint.Read(Fixture(fixture + ".bin"));

        using var expected = JsonDocument.Parse(File.ReadAllText(Fixture(fixture + ".expected.json")));
        var names = expected.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names, read.Keys);
        foreach (var tensor in expected.RootElement.EnumerateObject())
        {
            var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            var values = tensor.Value.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            Assert.True(shape.SequenceEqual(read[tensor.Name].Shape), $"{tensor.Name}: shape {read[tensor.Name].ShapeText}");
            Assert.Equal(values, read[tensor.Name].Data);
        }
    }

    [Fact]
    public void Half_bfloat16_and_integer_storages_become_float32()
    {
        var read = PyTorchCheckpoint.Read(Fixture("dtypes.bin"));

        Assert.Equal([0f, 1f, -7f, 1048576f], read["long"].Data);
        Assert.Equal([1f, 0f, 1f], read["bool"].Data);
        Assert.Equal([0f, 200f, 255f], read["uint8"].Data);
        Assert.Equal([3, 4], read["half"].Shape);
    }

    [Fact]
    public void Views_keep_their_shape_and_tied_names_get_equal_but_separate_arrays()
    {
        var read = PyTorchCheckpoint.Read(Fixture("views.bin"));

        Assert.Equal([5, 3], read["transposed"].Shape);
        Assert.Equal([3, 4], read["rows"].Shape);
        Assert.Equal(read["rows"].Data[1], read["column"].Data[2]);
        Assert.Equal(read["expanded"].Data[..4], read["expanded"].Data[8..]);
        Assert.Empty(read["scalar"].Shape);
        Assert.Equal([0, 3], read["empty"].Shape);
        Assert.Equal(read["word_embeddings.weight"].Data, read["decoder.weight"].Data);
        Assert.NotSame(read["word_embeddings.weight"].Data, read["decoder.weight"].Data);
    }

    [Fact]
    public void The_malicious_pickle_is_refused_and_runs_nothing()
    {
        var path = Fixture("malicious.bin");
        using (var zip = ZipFile.OpenRead(path))
        using (var pickle = new StreamReader(zip.GetEntry("malicious/data.pkl")!.Open(), Encoding.Latin1))
        {
            Assert.Contains("cposix\nsystem\n", pickle.ReadToEnd(), StringComparison.Ordinal);
        }
        var marker = Path.Combine(TinyEncoders.TempDirectory(), "pwned");
        Environment.SetEnvironmentVariable("SQUADALBERT_PWNED_MARKER", marker);
        try
        {
            var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("refused global 'posix.system'", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(marker));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SQUADALBERT_PWNED_MARKER", null);
        }
    }

    [Theory]
    [InlineData("\u0080\u0002cbuiltins\neval\n" + "\u008c\u00011" + "\u0085R.", "refused global 'builtins.eval'")]
    [InlineData("\u0080\u0004\u008c\u0002os\u008c\u0006system\u0093" + "\u008c\u0004true" + "\u0085R.", "refused global 'os.system'")]
    [InlineData("\u0080\u0002cos\nsystem\n.", "refused global 'os.system'")]
    [InlineData("\u0080\u0002ctorch\nFloatStorage\n)R.", "'torch.FloatStorage', which may not be called")]
    [InlineData("\u0080\u0002}i", "unsupported pickle opcode 0x69 ('i') at byte 3")]
    [InlineData("\u0080\u0002}\u0081", "unsupported pickle opcode 0x81 at byte 3")]
    [InlineData("\u0080\u0002}(\u008c\u0001w", "truncated pickle")]
    [InlineData("\u0080\u0002]\u008c\u0001w\u0086.", "not a state dict")]
    public void Hostile_or_broken_pickles_are_refused(string pickle, string expected)
    {
        var path = WriteTorchZip(pickle);

        var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_view_beyond_its_storage_is_reported()
    {
        // One tensor of shape [3] on a storage that declares (and holds) only 2 float32 values.
        var pickle = "\u0080\u0002}(\u008c\u0001w" + "ctorch._utils\n_rebuild_tensor_v2\n"
            + "((\u008c\u0007storage" + "ctorch\nFloatStorage\n" + "\u008c\u00010\u008c\u0003cpuK\u0002tQ"
            + "K\u0000K\u0003\u0085K\u0001\u0085\u0089}tRu.";
        var path = WriteTorchZip(pickle, ("0", new byte[8]));

        var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("too short for the view", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("views/data.pkl", null, "without data.pkl")]
    [InlineData("views/data/1", null, "missing storage entry 'views/data/1' (used by 'rows', 'column', 'every_other')")]
    [InlineData("views/data/1", "12345678", "storage entry 'views/data/1' holds 8 bytes, but its 24 torch.FloatStorage values need 96")]
    [InlineData("views/byteorder", "big", "byteorder is \"big\"")]
    public void Damaged_torch_zips_are_reported(string entry, string? replacement, string expected)
    {
        var path = CopyOfViews(entry, replacement);

        var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_little_endian_byteorder_record_is_accepted()
    {
        var path = CopyOfViews("views/byteorder", "little");

        Assert.Equal(PyTorchCheckpoint.Read(Fixture("views.bin"))["transposed"].Data, PyTorchCheckpoint.Read(path)["transposed"].Data);
    }

    [Theory]
    [InlineData("truncated.bin", "truncated or damaged zip")]
    [InlineData("albert-qa.expected.json", "not a PyTorch checkpoint")]
    [InlineData("no-such-file.bin", "not found")]
    public void Files_that_are_no_checkpoint_are_reported(string fixture, string expected)
    {
        var path = Fixture(fixture);

        var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_legacy_file_is_reported()
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "legacy.bin");
        var bytes = File.ReadAllBytes(Fixture("legacy.bin"));
        File.WriteAllBytes(path, bytes[..^5]);

        var error = Assert.Throws<InputException>(() => PyTorchCheckpoint.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_folder_prefers_safetensors_over_pytorch_model_bin()
    {
        var directory = TinyEncoders.TempDirectory();
        File.Copy(Fixture("views.bin"), Path.Combine(directory, CheckpointWeights.PyTorchFileName));
        var safetensors = Path.Combine(directory, CheckpointWeights.SafeTensorsFileName);
        SafeTensors.Write(safetensors, new Dictionary<string, FloatTensor> { ["only"] = new([1], [7]) });

        var weights = CheckpointWeights.Read(directory);

        Assert.Equal(safetensors, weights.Path);
        Assert.Equal(["only"], weights.Tensors.Keys);
    }

    [Fact]
    public void A_model_folder_with_only_pytorch_model_bin_is_read()
    {
        var directory = TinyEncoders.TempDirectory();
        var bin = Path.Combine(directory, CheckpointWeights.PyTorchFileName);
        File.Copy(Fixture("views.bin"), bin);

        var weights = CheckpointWeights.Read(directory);

        Assert.Equal(bin, weights.Path);
        Assert.Equal(PyTorchCheckpoint.Read(bin).Keys, weights.Tensors.Keys);
    }

    [Fact]
    public void A_model_folder_without_weights_names_both_files()
    {
        var directory = TinyEncoders.TempDirectory();

        var error = Assert.Throws<InputException>(() => CheckpointWeights.Read(directory));

        Assert.Contains(directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_albert_folder_with_pytorch_model_bin_loads_as_a_checkpoint()
    {
        var directory = TinyEncoders.TempDirectory();
        File.Copy(Fixture("albert-qa.bin"), Path.Combine(directory, CheckpointWeights.PyTorchFileName));
        File.Copy(Fixture("albert-qa.config.json"), Path.Combine(directory, EncoderConfig.FileName));

        var checkpoint = QaCheckpoint.Load(directory);

        Assert.Equal(8, checkpoint.Config.HiddenSize);
        Assert.Equal(PyTorchCheckpoint.Read(Fixture("albert-qa.bin"))["qa_outputs.weight"].Data, checkpoint["qa_outputs.weight"].Data);
    }

    [Fact]
    public void A_folder_with_only_pytorch_model_bin_opens_for_inference_with_the_weights_it_holds()
    {
        var directory = TinyEncoders.TempDirectory();
        File.Copy(Fixture("albert-qa.bin"), Path.Combine(directory, CheckpointWeights.PyTorchFileName));
        File.Copy(Fixture("albert-qa.config.json"), Path.Combine(directory, EncoderConfig.FileName));
        var tiny = TinyEncoders.Window(0, 0, questionTokens: 3, contextTokens: 5, seed: 1);
        // The fixture's vocabulary has 20 entries.
        var window = tiny with { InputIds = [.. tiny.InputIds.Select(id => id % 20)] };

        using var session = Analysis.Model.Inference.QaModelSession.Open(directory);
        var output = session.Run([window], new Analysis.Model.Inference.QaRunOptions())[0];

        var reference = Analysis.Model.Reference.EncoderReference.Forward(QaCheckpoint.Load(directory), window.InputIds, window.TokenTypeIds);
        Assert.Equal(reference.StartLogits.Length, output.StartLogits.Length);
        for (var i = 0; i < output.StartLogits.Length; i++)
        {
            Assert.Equal(reference.StartLogits[i], output.StartLogits[i], 1e-4);
        }
    }

    private static string Fixture(string name) => TestPaths.Fixture(Path.Combine("pytorch", name));

    /// <summary>A torch.save-shaped zip around a hand-written pickle (chars U+0000–U+00FF are its bytes).</summary>
    private static string WriteTorchZip(string pickle, params (string Key, byte[] Data)[] storages)
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "hand.bin");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, "archive/data.pkl", Encoding.Latin1.GetBytes(pickle));
        foreach (var (key, data) in storages)
        {
            Add(zip, "archive/data/" + key, data);
        }
        Add(zip, "archive/version", "3\n"u8.ToArray());
        return path;
    }

    /// <summary>views.bin with <paramref name="entry"/> dropped (null) or replaced or added (ASCII text).</summary>
    private static string CopyOfViews(string entry, string? replacement)
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), "views.bin");
        using var source = ZipFile.OpenRead(Fixture("views.bin"));
        using var copy = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var original in source.Entries.Where(e => e.FullName != entry))
        {
            using var data = new MemoryStream();
            using (var stream = original.Open())
            {
                stream.CopyTo(data);
            }
            Add(copy, original.FullName, data.ToArray());
        }
        if (replacement is not null)
        {
            Add(copy, entry, Encoding.ASCII.GetBytes(replacement));
        }
        return path;
    }

    private static void Add(ZipArchive zip, string name, byte[] data)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(data);
    }
}
