using System.Text.Json.Nodes;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// The small prepared run the journeys browse: the first <see cref="Articles"/> articles of the real dev-v1.1 file,
/// analysed by a tiny random ALBERT (real tokenizer, real pipeline) into a fresh database, with its latent analysis
/// (map coordinates, k-means and HDBSCAN clusters, label-error scores). Its folder holds
/// <c>model/</c>, <c>dev-subset.json</c> and <c>runs.db</c>; the server is pointed at them through
/// <c>SQUADALBERT_MODEL</c> and <c>SQUADALBERT_DB</c>.
/// </summary>
public sealed class PreparedRun
{
    public const int Articles = 2;

    /// <summary>
    /// Sized for the run's ~1,060 samples: 8 k-means clusters; HDBSCAN clusters of at least 15 points on the map (about 11
    /// clusters and 40 % noise with the tiny random model, where 8 gives 27 hard-to-tell-apart clusters).
    /// </summary>
    public static LatentSettings LatentSettings { get; } = new() { ClusterCount = 8, MinClusterSize = 15 };

    /// <summary>Paragraphs of the first dev article in the BERT run: enough questions for its map and clusters.</summary>
    public const int BertParagraphs = 6;

    /// <summary>The BERT run's latent settings, sized for its few dozen samples.</summary>
    public static LatentSettings BertLatentSettings { get; } = new() { ClusterCount = 4, MinClusterSize = 5 };

    private PreparedRun(string folder, long runId, int sampleCount, long bertRunId)
    {
        Folder = folder;
        RunId = runId;
        SampleCount = sampleCount;
        BertRunId = bertRunId;
    }

    public string Folder { get; }

    public string ModelFolder => Path.Combine(Folder, "model");

    public string DataFile => Path.Combine(Folder, "dev-subset.json");

    public string DatabasePath => Path.Combine(Folder, "runs.db");

    public long RunId { get; }

    public int SampleCount { get; }

    /// <summary>A second run in the same database: a tiny random BERT with the default reader's WordPiece vocabulary
    /// (<c>models/minilm-squad/vocab.txt</c>) on the first <see cref="BertParagraphs"/> paragraphs, so every page is
    /// also shown for the family of the default reader.</summary>
    public long BertRunId { get; }

    public string BertModelFolder => Path.Combine(Folder, "bert-model");

    public static PreparedRun Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "squad-albert-browser-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var spiece = Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");
        var model = Path.Combine(folder, "model");
        var vocabulary = AlbertTokenizer.Load(spiece).VocabularySize;
        var config = new EncoderConfig(
            VocabSize: vocabulary, EmbeddingSize: 16, HiddenSize: 32, NumHiddenLayers: 2, NumHiddenGroups: 1, InnerGroupNum: 1,
            NumAttentionHeads: 2, IntermediateSize: 48, HiddenAct: EncoderActivation.GeluTanh, MaxPositionEmbeddings: 512,
            TypeVocabSize: 2, LayerNormEps: 1e-12);
        QaCheckpoint.Random(config, seed: 7).Save(model);
        File.Copy(spiece, Path.Combine(model, ModelTokenizer.SentencePieceFileName));

        var dev = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.SquadDir, "dev-v1.1.json")))!.AsObject();
        var articles = dev["data"]!.AsArray();
        var subset = new JsonObject
        {
            ["version"] = dev["version"]!.GetValue<string>(),
            ["data"] = new JsonArray(articles.Take(Articles).Select(a => a!.DeepClone()).ToArray()),
        };
        var dataFile = Path.Combine(folder, "dev-subset.json");
        File.WriteAllText(dataFile, subset.ToJsonString());

        var database = AppSchema.Initialize(Path.Combine(folder, "runs.db"));
        var settings = new AnalysisSettings(MaxSeqLength: 128, DocStride: 64, MaxQueryLength: 32);
        var request = new AnalysisRequest(model, PopulationPresets.Dev(SquadLoader.Load(dataFile)), [dataFile], settings, Force: false, Threads: 2);
        var result = AnalysisRunner.Run(database, request, progress: null, CancellationToken.None);
        LatentAnalyzer.Run(database, result.RunId, LatentSettings, progress: null, CancellationToken.None);
        var run = new RunStore(database).Find(result.RunId)!;
        var bertRunId = CreateBertRun(folder, dev, database);
        return new PreparedRun(folder, result.RunId, run.SampleCount, bertRunId);
    }

    private static long CreateBertRun(string folder, JsonObject dev, SqliteConnectionFactory database)
    {
        var model = Path.Combine(folder, "bert-model");
        Directory.CreateDirectory(model);
        var shipped = Path.Combine(TestPaths.RepoRoot, "models", "minilm-squad");
        foreach (var file in new[] { ModelTokenizer.VocabularyFileName, "tokenizer_config.json" })
        {
            File.Copy(Path.Combine(shipped, file), Path.Combine(model, file));
        }
        var config = EncoderConfig.Bert(
            vocabSize: File.ReadLines(Path.Combine(model, ModelTokenizer.VocabularyFileName)).Count(), hiddenSize: 16, numHiddenLayers: 2,
            numAttentionHeads: 2, intermediateSize: 32, hiddenAct: EncoderActivation.GeluErf, maxPositionEmbeddings: 512, typeVocabSize: 2,
            layerNormEps: 1e-12);
        QaCheckpoint.Random(config, seed: 11).Save(model);

        var article = dev["data"]!.AsArray()[0]!.DeepClone().AsObject();
        var paragraphs = article["paragraphs"]!.AsArray();
        while (paragraphs.Count > BertParagraphs)
        {
            paragraphs.RemoveAt(paragraphs.Count - 1);
        }
        var dataFile = Path.Combine(folder, "dev-bert-subset.json");
        File.WriteAllText(dataFile, new JsonObject { ["version"] = dev["version"]!.GetValue<string>(), ["data"] = new JsonArray(article) }.ToJsonString());

        var settings = new AnalysisSettings(MaxSeqLength: 128, DocStride: 64, MaxQueryLength: 32);
        var request = new AnalysisRequest(model, PopulationPresets.Dev(SquadLoader.Load(dataFile)), [dataFile], settings, Force: false, Threads: 2);
        var result = AnalysisRunner.Run(database, request, progress: null, CancellationToken.None);
        LatentAnalyzer.Run(database, result.RunId, BertLatentSettings, progress: null, CancellationToken.None);
        return result.RunId;
    }
}
