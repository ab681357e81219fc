using System.Globalization;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Latent;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Testing;

/// <summary>
/// Writes a made-up finished run of any size, with map coordinates, both clusterings, label-error scores and kinds, and cluster
/// rows, so the map and clusters pages can be measured and tested at scales no real run on this machine reaches.
/// Samples sit in Gaussian blobs (one per k-means cluster); loss grows with the distance from the blob's centre.
/// Every <see cref="MarkupEvery"/>-th question holds HTML markup, to prove it is shown as text.
/// </summary>
public static class SyntheticRun
{
    public const int Blobs = 12;
    public const int Titles = 40;
    public const int MarkupEvery = 97;
    public const string Markup = "<b>bold</b> & <img src=x onerror=alert(1)>";
    public const int AmbiguousEvery = 7;
    private const int BatchSize = 5_000;

    private static readonly string[] QuestionTypes = ["what", "who", "when", "where", "how many", "which", "why", "other"];
    private static readonly string[] AnswerTypes = ["entity", "number", "date", "phrase", "person", "location"];
    private static readonly string[] Relations = ["exact", "normalization only", "overlap", "disjoint"];

    /// <summary>Creates run with <paramref name="sampleCount"/> samples in <paramref name="database"/>; returns its id.</summary>
    /// <param name="projected">False leaves the run as the analysis leaves it before its latent stages: no map
    /// coordinates, clusters or label-error scores.</param>
    /// <param name="unanswerableEvery">Above 0, a SQuAD 2.0 run (settings <c>{"NullThreshold":0.0}</c>): every such
    /// sample is unanswerable ("When did synthetic event i happen?", best span "1998", null − best span = i % 11 − 5, so
    /// those with 1..5 abstain; the confident answers, −5..−2, are typed answers the answerability check flags), and
    /// every sample with index % 13 == 5 that is answerable is a confident wrong abstention.</param>
    public static long Create(SqliteConnectionFactory database, int sampleCount, int seed = 1, bool projected = true, int unanswerableEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        var store = new RunStore(database);
        var batches = (sampleCount + BatchSize - 1) / BatchSize;
        var runId = store.CreateRun(new NewRun(
            $"synthetic-{sampleCount}-{seed}-{Guid.NewGuid():N}", "(synthetic)", "", [], "synthetic", $"{sampleCount} synthetic samples", unanswerableEvery > 0 ? Squad2Settings : "{}",
            sampleCount, batches));
        var random = new Random(seed);
        var centres = Enumerable.Range(0, Blobs).Select(_ => (X: random.NextDouble() * 20 - 10, Y: random.NextDouble() * 20 - 10)).ToArray();
        var extras = new (double UmapX, double UmapY, double PcaX, double PcaY, int KMeans, int Hdbscan, double LabelError)[sampleCount];
        for (var batch = 0; batch < batches; batch++)
        {
            var first = batch * BatchSize;
            var records = new List<SampleRecord>();
            for (var i = first; i < Math.Min(sampleCount, first + BatchSize); i++)
            {
                var blob = random.Next(Blobs);
                var (dx, dy) = (Gaussian(random), Gaussian(random));
                var distance = Math.Sqrt(dx * dx + dy * dy);
                extras[i] = (centres[blob].X + dx, centres[blob].Y + dy, 0.6 * (centres[blob].X + dx) + 0.3 * dy, 0.5 * (centres[blob].Y + dy) - 0.2 * dx,
                    blob, distance > 2.2 ? -1 : blob % 8, Math.Clamp(distance / 3 + random.NextDouble() * 0.2, 0, 1));
                var sample = Sample(i, blob, distance, random);
                records.Add(unanswerableEvery <= 0 ? sample : i % unanswerableEvery == 0 ? Unanswerable(sample) : i % 13 == 5 ? Abstaining(sample) : sample);
            }
            store.WriteBatch(runId, new RunBatch(batch, first, records.Count, records.Count, 0), records);
        }
        if (projected)
        {
            WriteLatentResults(database, runId, extras);
        }
        store.Finish(runId);
        return runId;
    }

    private static SampleRecord Sample(int index, int blob, double distance, Random random)
    {
        var loss = Math.Round(0.2 + distance * 1.5 + random.NextDouble(), 4);
        var correct = loss < 2;
        var f1 = correct ? 1.0 : Math.Round(random.NextDouble() * 0.8, 4);
        var question = $"What does synthetic question {index.ToString(CultureInfo.InvariantCulture)} ask about topic {blob}?"
            + (index % MarkupEvery == 0 ? " " + Markup : "");
        var gold = $"answer {index % 500}";
        var prediction = correct ? gold : $"answer {(index + 7) % 500}";
        var context = $"Context of topic {blob}: the {gold} is here.";
        var start = context.IndexOf(gold, StringComparison.Ordinal);
        return new SampleRecord
        {
            SampleIndex = index, ExampleId = $"synthetic-{index}", Split = index % 10 == 0 ? "train" : "dev",
            Title = $"Article {index % Titles:D2}", Question = question, Context = context,
            GoldAnswersJson = GoldAnswer.ToJson([new GoldAnswer(gold, start)]), Prediction = prediction,
            PredictionStart = start, PredictionEnd = start + prediction.Length, PredictionScore = 10 - loss,
            PredictionProbability = Math.Exp(-loss / 2), StartProbability = Math.Exp(-loss / 2), EndProbability = Math.Exp(-loss / 2),
            NBestJson = "[]", WindowCount = 1 + index % 3 / 2, GoldPositionsJson = "[[1,2]]", LossWindow = 0,
            LossOnCls = false, LossStart = loss * 0.9, LossEnd = loss * 1.1, Loss = loss, ExactMatch = correct, F1 = f1, BestGoldIndex = 0,
            TokenExactMatch = correct, TokenF1 = f1, TokenIou = f1, QuestionType = QuestionTypes[blob % QuestionTypes.Length],
            QuestionWhWord = QuestionTypes[blob % QuestionTypes.Length], QuestionFirstWords = $"topic {blob}",
            AnswerType = AnswerTypes[(index % 4 == 0 ? index + blob : blob) % AnswerTypes.Length], QuestionTokens = 12 + index % 9, QuestionWords = 10 + index % 7,
            ContextTokens = 120 + index % 200, ContextWords = 100 + index % 150, AnswerTokens = 2, AnswerWords = 2,
            AnswerPosition = random.NextDouble(), IsMultiWindow = index % 3 == 2, IsQuestionTruncated = false, ContextFlesch = 50 + blob,
            ContextFkGrade = 10, QuestionFlesch = 70, QuestionFkGrade = 6, PredictionHasQuotes = false, PredictionHasBrackets = false,
            GoldHasQuotes = false, GoldHasBrackets = false, Relation = correct ? Relations[0] : Relations[2 + index % 2],
            RelationCharDistance = correct ? null : index % 40, ContextMeanEmbedding = null, ClsEmbedding = null,
            Answerable = true, NullScore = loss - 10, NullScoreDiff = 2 * loss - 20, NoAnswerProbability = Math.Exp(-(10 - loss)) / (1 + Math.Exp(-(10 - loss))),
            PredictedNoAnswer = false, SpanExactMatch = correct, SpanF1 = f1, Outcome = SampleOutcomes.Of(true, false, correct),
        };
    }

    /// <summary>The settings JSON of a synthetic SQuAD 2.0 run: threshold 0.</summary>
    public const string Squad2Settings = "{\"NullThreshold\":0.0}";

    /// <summary>A sample made unanswerable, as <see cref="SampleAnalyzer"/> stores one (see <see cref="Create"/>).</summary>
    private static SampleRecord Unanswerable(SampleRecord sample)
    {
        var index = sample.SampleIndex;
        var diff = (index % 11) - 5.0;
        var abstains = diff > 0;
        var context = $"Context of synthetic event {index.ToString(CultureInfo.InvariantCulture)}: it was in 1998.";
        var start = context.IndexOf("1998", StringComparison.Ordinal);
        var noAnswer = 1 / (1 + Math.Exp(-diff));
        return sample with
        {
            Question = $"When did synthetic event {index.ToString(CultureInfo.InvariantCulture)} happen?", Context = context,
            GoldAnswersJson = "[]", Prediction = abstains ? "" : "1998", PredictionStart = abstains ? 0 : start, PredictionEnd = abstains ? 0 : start + 4,
            NBestJson = $"[{{\"text\":\"1998\",\"start\":{start},\"end\":{start + 4},\"probability\":1.0}}]",
            ExactMatch = abstains, F1 = abstains ? 1 : 0, TokenExactMatch = abstains, TokenF1 = abstains ? 1 : 0, TokenIou = abstains ? 1 : 0,
            LossOnCls = true, Relation = abstains ? "exact" : "disjoint", RelationCharDistance = null, AnswerType = SampleOutcomes.NoAnswerType,
            QuestionType = "when", QuestionWhWord = "when",
            Answerable = false, NullScore = 1.0, NullScoreDiff = diff, NoAnswerProbability = noAnswer, PredictedNoAnswer = abstains,
            SpanExactMatch = false, SpanF1 = 0, Outcome = SampleOutcomes.Of(false, abstains, abstains),
        };
    }

    /// <summary>An answerable sample on which the reader confidently abstains.</summary>
    private static SampleRecord Abstaining(SampleRecord sample) => sample with
    {
        Prediction = "", PredictionStart = 0, PredictionEnd = 0, ExactMatch = false, F1 = 0, NullScore = 1.0, NullScoreDiff = 3.0,
        NoAnswerProbability = 0.95, PredictedNoAnswer = true, Outcome = SampleOutcomes.WrongAbstention,
    };

    /// <summary>Map coordinates, clusters, label-error scores and <c>clusters</c> rows, stored exactly as the latent
    /// analysis stores them (<see cref="LatentStore"/>, <see cref="ClusterSummarizer"/>).</summary>
    private static void WriteLatentResults(SqliteConnectionFactory database, long runId,
        (double UmapX, double UmapY, double PcaX, double PcaY, int KMeans, int Hdbscan, double LabelError)[] extras)
    {
        var members = new LatentStore(database).Samples(runId).Select(s => s.Member).ToList();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        LatentStore.UpdateSamples(connection, transaction, runId, [.. Enumerable.Range(0, extras.Length)],
            [SampleColumns.UmapX, SampleColumns.UmapY, SampleColumns.PcaX, SampleColumns.PcaY, SampleColumns.Cluster, SampleColumns.HdbscanCluster,
                "label_error_score", "label_kind"],
            (row, column) => column switch
            {
                0 => (object)extras[row].UmapX,
                1 => extras[row].UmapY,
                2 => extras[row].PcaX,
                3 => extras[row].PcaY,
                4 => extras[row].KMeans,
                5 => extras[row].Hdbscan,
                6 => extras[row].LabelError,
                _ => SyntheticKind(row, extras[row].LabelError).Label(),
            });
        LatentStore.ReplaceClusters(connection, transaction, runId, ClusterMethods.KMeans,
            ClusterSummarizer.Summarize(members, extras.Select(e => e.KMeans).ToList()));
        LatentStore.ReplaceClusters(connection, transaction, runId, ClusterMethods.Hdbscan,
            ClusterSummarizer.Summarize(members, extras.Select(e => e.Hdbscan).ToList()));
        transaction.Commit();
    }

    /// <summary>The label kind of a synthetic sample: "probably wrong" above 0.8, "ambiguous" for every
    /// <see cref="AmbiguousEvery"/>-th other one, else "none".</summary>
    public static LabelKind SyntheticKind(int sampleIndex, double labelErrorScore) =>
        labelErrorScore > 0.8 ? LabelKind.ProbablyWrong : sampleIndex % AmbiguousEvery == 0 ? LabelKind.Ambiguous : LabelKind.None;

    private static double Gaussian(Random random)
    {
        var u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
