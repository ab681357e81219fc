using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Tests.Model;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Tests.Runs;

/// <summary>Tiny random models, the analysis fixture (12 questions, one context long enough for several windows) and
/// settings that cut it into 4 batches of 3 questions.</summary>
internal static class RunFixture
{
    public static readonly string SpieceModel = Path.Combine(TestPaths.RepoRoot, "models", "tokenizer", "spiece.model");

    public static string DataFile => TestPaths.Fixture(Path.Combine("squad", "analysis-v1.1.json"));

    public static AnalysisSettings Settings { get; } = new(MaxSeqLength: 64, DocStride: 16, MaxQueryLength: 16, QuestionsPerBatch: 3, WindowsPerModelCall: 4);

    public static string ModelFolder(int seed)
    {
        var folder = TinyEncoders.TempDirectory();
        var vocabulary = AlbertTokenizer.Load(SpieceModel).VocabularySize;
        var config = TinyEncoders.SharedOneGroup with { VocabSize = vocabulary, MaxPositionEmbeddings = 128 };
        QaCheckpoint.Random(config, seed).Save(folder);
        File.Copy(SpieceModel, Path.Combine(folder, ModelTokenizer.SentencePieceFileName));
        return folder;
    }

    /// <summary>
    /// A tiny random BERT folder whose WordPiece vocabulary holds the special tokens and every word of the fixture
    /// (lower-cased; punctuation split as BERT splits it), plus a few <c>##</c> pieces so words also split.
    /// </summary>
    public static string BertModelFolder(int seed)
    {
        var folder = TinyEncoders.TempDirectory();
        string[] specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        // Word boundaries as BERT draws them: a vocabulary of only the specials turns each word into one [UNK] over it.
        var splitter = WordPieceTokenizer.Load(string.Join("\n", specials), doLowerCase: true, "specials");
        var texts = SquadLoader.Load(DataFile).Examples.SelectMany(e => new[] { e.Question, e.Context }).Distinct();
        var words = texts.SelectMany(t => splitter.Tokenize(t).Spans.Select(span => t[span.Start..span.End].ToLowerInvariant()));
        var vocabulary = specials.Concat(["##s", "##ed", "##ing"]).Concat(words.Distinct().Order(StringComparer.Ordinal)).Distinct().ToArray();
        File.WriteAllLines(Path.Combine(folder, ModelTokenizer.VocabularyFileName), vocabulary);
        var config = EncoderConfig.Bert(vocabulary.Length, 16, 2, 2, 24, EncoderActivation.GeluErf, 128, 2, 1e-12);
        QaCheckpoint.Random(config, seed).Save(folder);
        return folder;
    }

    /// <summary><see cref="ModelFolder"/> with its weights changed by <paramref name="edit"/> (written as they are: no check).</summary>
    public static string ModelFolderWith(int seed, Action<IDictionary<string, FloatTensor>> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var folder = ModelFolder(seed);
        var weights = Path.Combine(folder, QaCheckpoint.WeightsFileName);
        var tensors = new Dictionary<string, FloatTensor>(SafeTensors.Read(weights), StringComparer.Ordinal);
        edit(tensors);
        SafeTensors.Write(weights, tensors);
        return folder;
    }

    public static SqliteConnectionFactory NewDatabase() => AppSchema.Initialize(Path.Combine(TinyEncoders.TempDirectory(), "runs.db"));

    public static AnalysisRequest Request(string model, bool force = false) =>
        new(model, PopulationPresets.Dev(SquadLoader.Load(DataFile)), [DataFile], Settings, force, Threads: 1);

    /// <summary>Every sample and embedding row of a run, run_id left out, as text for whole-row comparison.</summary>
    public static List<string> Rows(SqliteConnectionFactory database, long runId)
    {
        using var connection = database.Open();
        var rows = new List<string>();
        foreach (var sql in new[]
                 {
                     "SELECT * FROM samples WHERE run_id = $run ORDER BY sample_index",
                     "SELECT sample_index, kind, dimension, hex(vector) FROM sample_embeddings WHERE run_id = $run ORDER BY sample_index, kind",
                 })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$run", runId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount)
                    .Where(i => reader.GetName(i) != "run_id")
                    .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        return rows;
    }

    public static T Scalar<T>(SqliteConnectionFactory database, string sql, long runId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static List<(int Batch, string FinishedAt)> BatchRows(SqliteConnectionFactory database, long runId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT batch_index, finished_at FROM run_batches WHERE run_id = $run ORDER BY batch_index";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new List<(int, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }
        return rows;
    }

}
