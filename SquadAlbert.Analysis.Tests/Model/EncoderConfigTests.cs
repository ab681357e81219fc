using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Model.Checkpoint;

namespace SquadAlbert.Analysis.Tests.Model;

/// <summary><c>config.json</c> of either family: <c>model_type</c>, the BERT shape, and the bounds that keep a hostile
/// file from unrolling a graph until memory runs out.</summary>
public sealed class EncoderConfigTests
{
    [Fact]
    public void A_config_without_model_type_names_the_file_and_the_field()
    {
        var path = ConfigFile(TinyEncoders.SharedOneGroup, json => json.Remove("model_type"));

        var error = Assert.Throws<InputException>(() => EncoderConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'model_type'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"roberta\"", "\"roberta\"")]
    [InlineData("\"Bert\"", "\"Bert\"")]
    [InlineData("7", "must be a string, got 7")]
    public void An_unknown_model_type_names_the_value_and_the_supported_ones(string value, string expected)
    {
        var path = ConfigFile(TinyEncoders.Bert, json => json["model_type"] = JsonNode.Parse(value));

        var error = Assert.Throws<InputException>(() => EncoderConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'model_type'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (value.StartsWith('"'))
        {
            Assert.Contains("\"albert\"", error.Message, StringComparison.Ordinal);
            Assert.Contains("\"bert\"", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_bert_config_round_trips_without_the_albert_only_fields()
    {
        var path = ConfigFile(TinyEncoders.Bert, _ => { });

        var loaded = EncoderConfig.Load(path);

        Assert.Equal(TinyEncoders.Bert, loaded);
        Assert.Equal(ModelFamily.Bert, loaded.Family);
        Assert.False(loaded.HasEmbeddingProjection);
        Assert.Equal((16, 3, 1), (loaded.EmbeddingSize, loaded.NumHiddenGroups, loaded.InnerGroupNum));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal("bert", root.GetProperty("model_type").GetString());
        Assert.Equal("BertForQuestionAnswering", root.GetProperty("architectures")[0].GetString());
        Assert.Equal("gelu", root.GetProperty("hidden_act").GetString());
        // A Hugging Face BertConfig has none of these; writing them would describe a model BERT loaders do not know.
        foreach (var albertOnly in new[] { "embedding_size", "num_hidden_groups", "inner_group_num" })
        {
            Assert.False(root.TryGetProperty(albertOnly, out _), albertOnly);
        }
    }

    [Fact]
    public void A_bert_config_ignores_albert_fields_a_hand_written_file_may_carry()
    {
        // BERT's shape is fixed by the family: stray ALBERT fields must not turn it into a factorised model.
        var path = ConfigFile(TinyEncoders.Bert, json =>
        {
            json["embedding_size"] = 8;
            json["num_hidden_groups"] = 1;
            json["inner_group_num"] = 2;
        });

        Assert.Equal(TinyEncoders.Bert, EncoderConfig.Load(path));
    }

    [Fact]
    public void An_albert_config_round_trips_with_its_sharing_fields()
    {
        var path = ConfigFile(TinyEncoders.TwoGroupsTwoInner, _ => { });

        var loaded = EncoderConfig.Load(path);

        Assert.Equal(TinyEncoders.TwoGroupsTwoInner, loaded);
        Assert.Equal(ModelFamily.Albert, loaded.Family);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("albert", doc.RootElement.GetProperty("model_type").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("inner_group_num").GetInt32());
    }

    /// <summary>A billion layer repetitions over one shared group is a valid-looking ALBERT file; unchecked, the graph
    /// builder would unroll a billion layers. It must be refused at once, naming the field.</summary>
    [Theory]
    [InlineData(nameof(TinyEncoders.SharedOneGroup))]
    [InlineData(nameof(TinyEncoders.Bert))]
    public void A_billion_layers_are_refused_quickly_naming_the_field(string configName)
    {
        var directory = TinyEncoders.TempDirectory();
        QaCheckpoint.Random(TinyEncoders.ByName(configName), seed: 1).Save(directory);
        var path = Path.Combine(directory, EncoderConfig.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["num_hidden_layers"] = 1_000_000_000;
        File.WriteAllText(path, json.ToJsonString());
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<InputException>(() => QaCheckpoint.Load(directory));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("num_hidden_layers", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {EncoderConfig.MaxLayers}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each oversized field is named as the file spells it: for BERT, whose file has no
    /// <c>embedding_size</c>, a huge <c>hidden_size</c> must not be reported as the embedding size.</summary>
    [Theory]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "vocab_size")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "hidden_size")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "embedding_size")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "num_attention_heads")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "intermediate_size")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "max_position_embeddings")]
    [InlineData(nameof(TinyEncoders.SharedOneGroup), "type_vocab_size")]
    [InlineData(nameof(TinyEncoders.Bert), "vocab_size")]
    [InlineData(nameof(TinyEncoders.Bert), "hidden_size")]
    [InlineData(nameof(TinyEncoders.Bert), "num_attention_heads")]
    [InlineData(nameof(TinyEncoders.Bert), "intermediate_size")]
    [InlineData(nameof(TinyEncoders.Bert), "max_position_embeddings")]
    [InlineData(nameof(TinyEncoders.Bert), "type_vocab_size")]
    public void A_huge_field_is_refused_naming_it(string configName, string field)
    {
        var path = ConfigFile(TinyEncoders.ByName(configName), json => json[field] = 2_000_000_000);

        var error = Assert.Throws<InputException>(() => EncoderConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"field '{field}' is 2000000000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hidden_size", 0)]
    [InlineData("num_hidden_layers", 0)]
    [InlineData("num_attention_heads", -2)]
    public void A_bert_field_that_is_not_positive_is_named(string field, int value)
    {
        var path = ConfigFile(TinyEncoders.Bert, json => json[field] = value);

        var error = Assert.Throws<InputException>(() => EncoderConfig.Load(path));

        Assert.Contains($"field '{field}' must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hand_built_bert_config_with_a_factorised_shape_is_refused()
    {
        var factorised = TinyEncoders.Bert with { EmbeddingSize = 8 };

        var error = Assert.Throws<InputException>(() => factorised.Validate("hand-built"));

        Assert.Contains("hand-built", error.Message, StringComparison.Ordinal);
        Assert.Contains("BERT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bert_parameter_names_are_hugging_face_bert_names_with_one_layer_per_repetition()
    {
        var expected = EncoderParameterNames.Expected(TinyEncoders.Bert).ToDictionary(p => p.Name, p => p.Shape);

        // 3 embedding tables + embedding LayerNorm (2) + 16 per layer + QA head (2); no ALBERT projection.
        Assert.Equal(5 + 16 * 3 + 2, expected.Count);
        Assert.Equal([50, 16], expected["bert.embeddings.word_embeddings.weight"]);
        Assert.Equal([40, 16], expected["bert.embeddings.position_embeddings.weight"]);
        Assert.Equal([2, 16], expected["bert.embeddings.token_type_embeddings.weight"]);
        Assert.Equal([16], expected["bert.embeddings.LayerNorm.bias"]);
        Assert.Equal([16, 16], expected["bert.encoder.layer.2.attention.self.query.weight"]);
        Assert.Equal([16], expected["bert.encoder.layer.2.attention.self.value.bias"]);
        Assert.Equal([16, 16], expected["bert.encoder.layer.1.attention.output.dense.weight"]);
        Assert.Equal([16], expected["bert.encoder.layer.1.attention.output.LayerNorm.weight"]);
        Assert.Equal([24, 16], expected["bert.encoder.layer.0.intermediate.dense.weight"]);
        Assert.Equal([16, 24], expected["bert.encoder.layer.0.output.dense.weight"]);
        Assert.Equal([16], expected["bert.encoder.layer.2.output.LayerNorm.bias"]);
        Assert.Equal([2, 16], expected["qa_outputs.weight"]);
        Assert.DoesNotContain(expected.Keys, name => name.StartsWith("albert.", StringComparison.Ordinal));
        Assert.DoesNotContain(expected.Keys, name => name.Contains("encoder.layer.3.", StringComparison.Ordinal));
        Assert.Null(TinyEncoders.Bert.ParameterNames.EmbeddingProjection);
    }

    [Fact]
    public void Each_bert_repetition_runs_its_own_layer()
    {
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(TinyEncoders.Bert.GroupOfRepetition));
    }

    /// <summary>Saves <paramref name="config"/> as <c>config.json</c> in a fresh folder, then lets <paramref name="edit"/>
    /// change the JSON.</summary>
    private static string ConfigFile(EncoderConfig config, Action<JsonObject> edit)
    {
        var path = Path.Combine(TinyEncoders.TempDirectory(), EncoderConfig.FileName);
        config.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
