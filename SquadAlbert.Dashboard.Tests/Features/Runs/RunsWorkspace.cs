using SquadAlbert.Dashboard.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Tests;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Dashboard.Features.Datasets;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

/// <summary>
/// A temporary folder with a tiny random ALBERT (real tokenizer), a data folder holding the 12-question analysis fixture
/// as dev-v1.1.json, and an empty run database; the dashboard services read only these (no environment variables).
/// </summary>
internal sealed class RunsWorkspace : IDisposable
{
    public RunsWorkspace(bool withModel = true)
    {
        Directory.CreateDirectory(DataFolder);
        File.Copy(FixtureFile, Path.Combine(DataFolder, "dev-v1.1.json"));
        if (withModel)
        {
            var spiece = Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");
            var config = new EncoderConfig(
                VocabSize: AlbertTokenizer.Load(spiece).VocabularySize, EmbeddingSize: 8, HiddenSize: 16, NumHiddenLayers: 1, NumHiddenGroups: 1,
                InnerGroupNum: 1, NumAttentionHeads: 2, IntermediateSize: 16, HiddenAct: EncoderActivation.GeluTanh, MaxPositionEmbeddings: 384,
                TypeVocabSize: 2, LayerNormEps: 1e-12);
            QaCheckpoint.Random(config, seed: 3).Save(ModelFolder);
            File.Copy(spiece, Path.Combine(ModelFolder, ModelTokenizer.SentencePieceFileName));
        }
        var settings = SquadAlbertSettings.Resolved(new SquadAlbertSettings { DataDirectory = DataFolder, Database = "runs.db", ModelDirectory = ModelFolder }, Folder);
        Catalog = new DatasetCatalog(settings, readEnvironment: _ => null);
        Database = new RunDatabase(settings);
        Model = new ModelSetting(settings);
        Jobs = new RunJobs(Database, Catalog, NullLogger<RunJobs>.Instance);
    }

    /// <summary>The 12-question fixture of the analysis tests (one context long enough for several windows).</summary>
    public static string FixtureFile => Path.Combine(TestPaths.RepoRoot, "SquadAlbert.Analysis.Tests", "Fixtures", "squad", "analysis-v1.1.json");

    /// <summary>Settings sized for the tiny model: 4 batches of 3 questions.</summary>
    public static Analysis.Runs.AnalysisSettings Settings { get; } = new(MaxSeqLength: 64, DocStride: 16, MaxQueryLength: 16, QuestionsPerBatch: 3, WindowsPerModelCall: 4);

    public string Folder { get; } = Directory.CreateTempSubdirectory("squad-albert-runs-").FullName;

    public string DataFolder => Path.Combine(Folder, "data");

    public string ModelFolder => Path.Combine(Folder, "model");

    public DatasetCatalog Catalog { get; }

    public RunDatabase Database { get; }

    public ModelSetting Model { get; }

    public RunJobs Jobs { get; }

    public RunLaunch DevLaunch(bool force = false) => new(ModelFolder, new PopulationRequest("dev", "dev-v1.1.json"), Force: force, Settings: Settings);

    public void Dispose()
    {
        Jobs.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
