using System.Text.Json;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Runs;

namespace SquadAlbert.Analysis.Tests.Runs;

public sealed class AnalysisSettingsTests
{
    /// <summary>The settings JSON (and so part of the run key) of a dev run of the default model made by main before
    /// precision existed (windows of 256, stride 85), copied from its run database.</summary>
    private const string DefaultModelRunBeforePrecision =
        """{"MaxSeqLength":256,"DocStride":85,"MaxQueryLength":64,"MaxAnswerTokens":30,"NBest":20,"QuestionsPerBatch":256,"WindowsPerModelCall":32,"Featurizer":{"MaxSeqLength":256,"DocStride":85,"MaxQueryLength":64},"PostProcessing":{"NBest":20,"MaxAnswerTokens":30}}""";

    [Fact]
    public void Fp32_settings_serialise_exactly_as_before_precision_existed()
    {
        Assert.Equal(DefaultModelRunBeforePrecision, new AnalysisSettings(256, 85).ToJson());
        Assert.Equal(DefaultModelRunBeforePrecision, new AnalysisSettings(256, 85, Precision: InferencePrecision.Fp32).ToJson());
    }

    [Fact]
    public void Json_without_a_precision_reads_as_fp32()
    {
        var settings = JsonSerializer.Deserialize<AnalysisSettings>(DefaultModelRunBeforePrecision)!;

        Assert.Equal(new AnalysisSettings(256, 85), settings);
        Assert.Equal(InferencePrecision.Fp32, settings.Precision);
    }

    [Fact]
    public void Int8_is_recorded_by_its_command_line_name_and_reads_back()
    {
        var int8 = new AnalysisSettings(MaxSeqLength: 256, Precision: InferencePrecision.Int8);

        var json = int8.ToJson();

        Assert.Contains(""","WindowsPerModelCall":32,"Precision":"int8","Featurizer":""", json, StringComparison.Ordinal);
        Assert.Equal(int8, JsonSerializer.Deserialize<AnalysisSettings>(json));
        Assert.NotEqual(new AnalysisSettings(MaxSeqLength: 256).ToJson(), json);
    }

    [Theory]
    [InlineData("fp32", InferencePrecision.Fp32)]
    [InlineData("int8", InferencePrecision.Int8)]
    public void Precision_names_parse_and_print(string name, InferencePrecision precision)
    {
        Assert.Equal(precision, InferencePrecisionNames.Parse(name));
        Assert.Equal(name, precision.Name());
    }

    [Fact]
    public void An_unknown_precision_name_is_an_input_error()
    {
        var error = Assert.Throws<InputException>(() => InferencePrecisionNames.Parse("INT8"));

        Assert.Contains("fp32, int8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_threshold_is_recorded_only_for_squad_20_runs()
    {
        Assert.Equal(DefaultModelRunBeforePrecision, new AnalysisSettings(256, 85, NullThreshold: null).ToJson());

        var squad2 = new AnalysisSettings(256, 85, NullThreshold: -1.5);
        var json = squad2.ToJson();

        Assert.Contains("\"NullThreshold\":-1.5", json, StringComparison.Ordinal);
        Assert.Contains("\"PostProcessing\":{\"NBest\":20,\"MaxAnswerTokens\":30,\"NullThreshold\":-1.5}", json, StringComparison.Ordinal);
        Assert.Equal(squad2, JsonSerializer.Deserialize<AnalysisSettings>(json));
    }
}
