using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Export;
using SquadAlbert.Training.Model;
using SquadAlbert.Training.Training;

namespace SquadAlbert.Training.Tests.Export;

public sealed class ModelExporterTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("export-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Exported_folder_round_trips_config_and_weights_through_the_shared_checkpoint_loader()
    {
        var config = TinyModels.WithDropout(TinyModels.TwoGroupsTwoInner);
        using var model = new EncoderQaModel(config);
        var facts = new TrainingFacts(
            new RunSettings(new TrainingOptions(MaxSteps: 10), QaFeaturizerOptions.Default, TrainExampleLimit: 100, EvalQuestions: 50),
            new TrainingProgress(10, 0, 10), new QaScore(12.5, 20.25, 50), "train-v1.1.json");
        var output = Path.Combine(_scratch.FullName, "model");

        ModelExporter.Export(model, BuildFacts.TokenizerModel, output, facts);

        Assert.Equal(config, EncoderTrainingConfig.Load(Path.Combine(output, EncoderConfig.FileName)));
        var loaded = QaCheckpoint.Load(output);
        Assert.Equal(config.Architecture, loaded.Config);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(parameter.data<float>().ToArray(), loaded[name].Data);
        }
        Assert.Equal(File.ReadAllBytes(BuildFacts.TokenizerModel), File.ReadAllBytes(Path.Combine(output, ModelTokenizer.SentencePieceFileName)));
        var card = File.ReadAllText(Path.Combine(output, ModelExporter.ModelCardFileName));
        Assert.Contains("EM 12.50, F1 20.25 on the first 50 questions", card, StringComparison.Ordinal);
        Assert.Contains("first 100 questions", card, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bert_model_exports_a_hugging_face_bert_folder_with_its_vocabulary()
    {
        var config = TinyModels.WithDropout(TinyModels.Bert);
        using var model = new EncoderQaModel(config);
        var vocabulary = TinyModels.WriteBertVocabulary(Path.Combine(_scratch.FullName, "vocab.txt"), TinyModels.Bert.VocabSize);
        var facts = new TrainingFacts(
            new RunSettings(new TrainingOptions(MaxSteps: 10), QaFeaturizerOptions.Default, null, 50), new TrainingProgress(10, 0, 10), null, "train-v1.1.json");
        var output = Path.Combine(_scratch.FullName, "model");

        // The tokenizer source of a run started --init-from a model folder is that folder.
        ModelExporter.Export(model, _scratch.FullName, output, facts);

        Assert.Equal(config, EncoderTrainingConfig.Load(Path.Combine(output, EncoderConfig.FileName)));
        var loaded = QaCheckpoint.Load(output);
        Assert.Equal(ModelFamily.Bert, loaded.Config.Family);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(parameter.data<float>().ToArray(), loaded[name].Data);
        }
        Assert.Equal(File.ReadAllBytes(vocabulary), File.ReadAllBytes(Path.Combine(output, ModelTokenizer.VocabularyFileName)));
        Assert.False(File.Exists(Path.Combine(output, ModelTokenizer.SentencePieceFileName)));
        var tokenizer = Assert.IsType<WordPieceTokenizer>(ModelTokenizer.Load(output));
        Assert.Equal((2, 3), (tokenizer.ClsId, tokenizer.SepId));
        Assert.Equal(QaFeaturizerOptions.Default.MaxSeqLength, ModelWindowDefaults.ModelMaxLength(output));
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, EncoderConfig.FileName)));
        Assert.Equal("bert", doc.RootElement.GetProperty("model_type").GetString());
        Assert.Equal("BertForQuestionAnswering", doc.RootElement.GetProperty("architectures")[0].GetString());
        Assert.False(doc.RootElement.TryGetProperty("embedding_size", out _));
    }

    [Fact]
    public void A_bert_model_without_vocab_txt_beside_it_is_refused_naming_the_file()
    {
        using var model = new EncoderQaModel(new EncoderTrainingConfig(TinyModels.Bert));
        var facts = new TrainingFacts(
            new RunSettings(new TrainingOptions(), QaFeaturizerOptions.Default, null, 10), TrainingProgress.Start, null, "train-v1.1.json");

        // An ALBERT tokenizer folder for a BERT model: the export must not write a folder that cannot tokenize.
        var error = Assert.Throws<Analysis.InputException>(() =>
            ModelExporter.Export(model, Path.GetDirectoryName(BuildFacts.TokenizerModel)!, Path.Combine(_scratch.FullName, "model"), facts));

        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_json_has_the_hugging_face_albert_fields()
    {
        var path = Path.Combine(_scratch.FullName, "config.json");
        TinyModels.WithDropout(TinyModels.SharedOneGroup).Save(path);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        foreach (var field in new[]
        {
            "vocab_size", "embedding_size", "hidden_size", "num_hidden_layers", "num_hidden_groups", "inner_group_num",
            "num_attention_heads", "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size",
            "layer_norm_eps", "hidden_dropout_prob", "attention_probs_dropout_prob", "initializer_range",
        })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }
        Assert.Equal("albert", root.GetProperty("model_type").GetString());
        Assert.Equal("AlbertForQuestionAnswering", root.GetProperty("architectures")[0].GetString());
        Assert.Equal(0.05, root.GetProperty("initializer_range").GetDouble());
    }

    [Fact]
    public void Bad_training_field_is_reported_with_file_and_field()
    {
        var path = Path.Combine(_scratch.FullName, "config.json");
        TinyModels.WithDropout(TinyModels.SharedOneGroup).Save(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"hidden_dropout_prob\": 0.1", "\"hidden_dropout_prob\": 1.5", StringComparison.Ordinal));
        var error = Assert.Throws<Analysis.InputException>(() => EncoderTrainingConfig.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("hidden_dropout_prob", error.Message, StringComparison.Ordinal);
    }
}

public sealed class ExportedModelOnOnnxRuntimeTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("export-onnx-test");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Theory]
    [InlineData(nameof(TinyModels.TwoGroupsTwoInner))]
    [InlineData(nameof(TinyModels.Bert))]
    public void Onnx_runtime_loads_the_exported_folder_and_reproduces_the_torchsharp_logits(string configName)
    {
        var config = new EncoderTrainingConfig(TinyModels.ByName(configName));
        using var model = new EncoderQaModel(config);
        // Weights of scale 0.2 rather than the 0.02 initialisation, so the logits are O(1) and 1e-4 is a real test.
        model.ImportTensors(QaCheckpoint.Random(config.Architecture, seed: 6));
        model.eval();
        var facts = new TrainingFacts(
            new RunSettings(new TrainingOptions(), QaFeaturizerOptions.Default, null, 10), TrainingProgress.Start, null, "train-v1.1.json");
        var output = Path.Combine(_scratch.FullName, "model");
        var tokenizer = config.Architecture.Family == ModelFamily.Albert
            ? BuildFacts.TokenizerModel
            : TinyModels.WriteBertVocabulary(Path.Combine(_scratch.FullName, "vocab.txt"), config.Architecture.VocabSize);
        ModelExporter.Export(model, tokenizer, output, facts);
        var windows = TinyModels.Windows(3, config.Architecture.VocabSize, seed: 12);

        using var session = Analysis.Model.Inference.QaModelSession.FromModelDirectory(output, threads: 1);
        var onnx = session.Run(windows);

        using var batch = QaBatch.Create(windows);
        var logits = model.Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        foreach (var result in onnx)
        {
            var row = Array.IndexOf(windows, result.Window);
            var start = logits.Start[row].data<float>().ToArray();
            var end = logits.End[row].data<float>().ToArray();
            for (var t = 0; t < result.Window.Length; t++)
            {
                Assert.Equal(start[t], result.StartLogits[t], 1e-4);
                Assert.Equal(end[t], result.EndLogits[t], 1e-4);
            }
        }
        Assert.Equal(windows.Length, onnx.Count);
    }
}
