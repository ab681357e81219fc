using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Tests.Model;

public sealed class ModelWindowDefaultsTests
{
    [Theory]
    [InlineData(null, 384, 128, 64)]
    [InlineData(512, 384, 128, 64)]
    [InlineData(384, 384, 128, 64)]
    [InlineData(192, 192, 64, 48)]
    [InlineData(128, 128, 42, 32)]
    public void WindowFollowsTheTrainedLength(int? modelMaxLength, int maxSeq, int stride, int query)
    {
        var options = ModelWindowDefaults.ForMaxLength(modelMaxLength);
        Assert.Equal((maxSeq, stride, query), (options.MaxSeqLength, options.DocStride, options.MaxQueryLength));
        options.Validate();
    }

    [Fact]
    public void WrittenConfigReadsBack()
    {
        var folder = TinyEncoders.TempDirectory();
        Assert.Null(ModelWindowDefaults.ModelMaxLength(folder));
        ModelWindowDefaults.Write(folder, ModelFamily.Albert, 192);
        Assert.Equal(192, ModelWindowDefaults.ModelMaxLength(folder));
        Assert.Equal(192, ModelWindowDefaults.For(folder).MaxSeqLength);
    }

    [Theory]
    [InlineData("{\"model_max_length\": 1e30}", null)]
    [InlineData("{\"do_lower_case\": true}", null)]
    [InlineData("{\"model_max_length\": 256}", 256)]
    public void HuggingFaceValuesAreUnderstood(string json, int? expected)
    {
        var folder = TinyEncoders.TempDirectory();
        File.WriteAllText(Path.Combine(folder, ModelWindowDefaults.TokenizerConfigFileName), json);
        Assert.Equal(expected, ModelWindowDefaults.ModelMaxLength(folder));
    }

    [Theory]
    [InlineData("{\"model_max_length\": \"long\"}", "model_max_length")]
    [InlineData("{\"model_max_length\": 12.5}", "model_max_length")]
    [InlineData("{not json", "not valid JSON")]
    public void BadConfigNamesFileAndField(string json, string expected)
    {
        var folder = TinyEncoders.TempDirectory();
        File.WriteAllText(Path.Combine(folder, ModelWindowDefaults.TokenizerConfigFileName), json);
        var error = Assert.Throws<InputException>(() => ModelWindowDefaults.ModelMaxLength(folder));
        Assert.Contains(ModelWindowDefaults.TokenizerConfigFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
