using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SquadAlbert.Analysis.Clustering;
using SquadAlbert.Analysis.LabelQuality;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Projection;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Vectors;

namespace SquadAlbert.Analysis.Latent;

/// <summary>The stages of <see cref="LatentAnalyzer"/> in the order they run (the <c>latent_stages.stage</c> values).</summary>
public static class LatentStages
{
    public const string Pca = "pca";
    public const string Umap = "umap";
    public const string KMeans = "kmeans";
    public const string Hdbscan = "hdbscan";
    public const string LabelScores = "label_scores";

    public static IReadOnlyList<string> All { get; } = [Pca, Umap, KMeans, Hdbscan, LabelScores];
}

/// <summary>Progress: the stage running (index into <see cref="LatentStages.All"/>) and the fraction of it done.</summary>
/// <param name="Skipped">The stage had already finished with the same settings and was not recomputed.</param>
public readonly record struct LatentProgress(string Stage, int StageIndex, int StageCount, double StageFraction, bool Skipped = false)
{
    /// <summary>Fraction of the whole analysis, counting every stage alike.</summary>
    public double Fraction => (StageIndex + Math.Clamp(StageFraction, 0, 1)) / StageCount;
}

/// <param name="Skipped">Finished earlier with the same settings; <see cref="ResultJson"/> and <see cref="FinishedAt"/> are from then.</param>
public sealed record LatentStageOutcome(string Stage, bool Skipped, string ResultJson, DateTimeOffset FinishedAt);

public sealed record LatentResult(long RunId, IReadOnlyList<LatentStageOutcome> Stages);

/// <summary>
/// Turns a finished analysis run into its latent analysis, on the samples' context_mean embeddings:
/// <list type="bullet">
/// <item><c>pca</c>: 2-D PCA coordinates (<c>samples.pca_x/pca_y</c>);</item>
/// <item><c>umap</c>: 2-D UMAP map with the cosine metric (<c>samples.umap_x/umap_y</c>); its result holds the
/// trustworthiness (k = <see cref="LatentSettings.TrustworthinessNeighbours"/>) of UMAP and of PCA on the same
/// points, a seeded subsample of at most <see cref="LatentSettings.TrustworthinessSampleSize"/>;</item>
/// <item><c>kmeans</c>: spherical k-means++ on the embeddings (<c>samples.cluster</c>, <c>clusters</c> rows);</item>
/// <item><c>hdbscan</c>: HDBSCAN on the UMAP map (<c>samples.hdbscan_cluster</c>, −1 = noise, <c>clusters</c> rows);</item>
/// <item><c>label_scores</c>: <see cref="LabelErrorComponents"/> (the neighbour component from the exact cosine
/// neighbours of the embeddings), scored by <see cref="LabelErrorScorer"/> with <see cref="LatentSettings.LabelWeights"/>
/// (<c>samples.label_*</c>); its settings hold the weights' SHA-256, so other weights rescore.</item>
/// </list>
/// Each stage commits its output with its <c>latent_stages</c> row in one transaction and is skipped later when it
/// finished with the same settings, so a killed analysis resumes at the first unfinished stage. HDBSCAN's settings
/// include UMAP's settings and a SHA-256 of the stored map, so a different map re-clusters and a recomputed identical one does not.
/// </summary>
public static class LatentAnalyzer
{
    /// <summary>How stage settings and results are written to <c>latent_stages</c> (and read back).</summary>
    internal static readonly JsonSerializerOptions StageJsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static LatentResult Run(SqliteConnectionFactory database, long runId, LatentSettings settings,
        IProgress<LatentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var run = new RunStore(database).Find(runId) ?? throw new InputException($"There is no run {runId} in {database.DatabasePath}.");
        if (!run.IsFinished)
        {
            throw new InputException($"Run {runId} is not finished; finish it with `squad-albert analyze` before its latent analysis.");
        }
        if (run.SampleCount < 2)
        {
            throw new InputException($"Run {runId} has {run.SampleCount} sample(s); the latent analysis needs at least 2.");
        }
        return new Analysis(new LatentStore(database), run, settings, progress, cancellationToken).Run();
    }

    private sealed class Analysis(LatentStore store, RunInfo run, LatentSettings settings, IProgress<LatentProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly IReadOnlyDictionary<string, LatentStageRecord> _finished = store.Stages(run.Id);
        private RowMatrix? _embeddings;
        private IReadOnlyList<LatentSample>? _samples;

        private int N => run.SampleCount;

        private RowMatrix Embeddings => _embeddings ??= store.ContextMeanEmbeddings(run.Id, N);

        private IReadOnlyList<LatentSample> Samples => _samples ??= CheckedSamples();

        /// <summary>The samples, which must be numbered 0..n−1: the embedding rows and map coordinates are in that order.</summary>
        private IReadOnlyList<LatentSample> CheckedSamples()
        {
            var samples = store.Samples(run.Id);
            var gap = Enumerable.Range(0, samples.Count).FirstOrDefault(i => samples[i].SampleIndex != i, -1);
            if (samples.Count != N || gap >= 0)
            {
                throw new InputException($"Run {run.Id} lists {N} samples but its samples table holds {samples.Count}" +
                                         (gap >= 0 ? $", with sample {gap} missing" : "") + "; analyse it again with --force.");
            }
            return samples;
        }

        public LatentResult Run()
        {
            var umapSettings = new
            {
                metric = "cosine", neighbours = settings.NeighbourCount, min_dist = settings.MinDist, seed = settings.Seed,
                deterministic = settings.Deterministic, trust_k = settings.TrustworthinessNeighbours, trust_sample = settings.TrustworthinessSampleSize,
            };
            var outcomes = new List<LatentStageOutcome>
            {
                Stage(LatentStages.Pca, new { seed = settings.Seed, trust_k = settings.TrustworthinessNeighbours, trust_sample = settings.TrustworthinessSampleSize },
                    RunPca),
                Stage(LatentStages.Umap, umapSettings, RunUmap),
                Stage(LatentStages.KMeans, new { k = settings.EffectiveClusterCount(N), metric = "cosine", seed = settings.Seed }, RunKMeans),
            };
            // Keyed on the map itself rather than on when it was made: a forced but identical map keeps its clusters.
            var map = UmapCoordinates();
            outcomes.Add(Stage(LatentStages.Hdbscan,
                new { min_cluster_size = settings.EffectiveMinClusterSize(N), umap = umapSettings, umap_sha256 = Sha256(map) },
                report => RunHdbscan(map, report)));
            outcomes.Add(Stage(LatentStages.LabelScores, new
            {
                components = LabelErrorComponents.Version, weights_sha256 = settings.LabelWeights.ScoringSha256(), far_distance = LabelErrorComponents.FarDistance,
                type_neighbours = LabelErrorComponents.NeighbourCount, probably_wrong = LabelKinds.ProbablyWrongThreshold,
                ambiguous_disagreement = LabelKinds.DisagreementThreshold, settled_gold_mass = LabelKinds.SettledGoldMass,
            }, RunLabelScores));
            return new LatentResult(run.Id, outcomes);
        }

        /// <summary>Runs <paramref name="compute"/> unless the stage finished with the same settings; compute writes
        /// through the commit callback it is given and returns the result object.</summary>
        private LatentStageOutcome Stage(string stage, object stageSettings, Func<Action<double>, (object Result, Action<SqliteConnection, SqliteTransaction> Write)> compute)
        {
            var index = LatentStages.All.ToList().IndexOf(stage);
            var settingsJson = JsonSerializer.Serialize(stageSettings, StageJsonOptions);
            cancellationToken.ThrowIfCancellationRequested();
            if (!settings.Force && _finished.TryGetValue(stage, out var done) && done.SettingsJson == settingsJson)
            {
                progress?.Report(new LatentProgress(stage, index, LatentStages.All.Count, 1, Skipped: true));
                return new LatentStageOutcome(stage, true, done.ResultJson, done.FinishedAt);
            }
            progress?.Report(new LatentProgress(stage, index, LatentStages.All.Count, 0));
            var (result, write) = compute(fraction => progress?.Report(new LatentProgress(stage, index, LatentStages.All.Count, fraction)));
            cancellationToken.ThrowIfCancellationRequested();
            var resultJson = JsonSerializer.Serialize(result, StageJsonOptions);
            var finishedAt = StoredTime.AsStored(DateTimeOffset.UtcNow);
            store.CommitStage(run.Id, stage, settingsJson, resultJson, finishedAt, write);
            progress?.Report(new LatentProgress(stage, index, LatentStages.All.Count, 1));
            return new LatentStageOutcome(stage, false, resultJson, finishedAt);
        }

        private (object, Action<SqliteConnection, SqliteTransaction>) RunPca(Action<double> report)
        {
            var coordinates = Pca2D(Embeddings);
            report(0.5);
            var (trust, evaluated) = EvaluateTrustworthiness(coordinates);
            return (new { trustworthiness = trust, trustworthiness_points = evaluated },
                (connection, transaction) => WriteCoordinates(connection, transaction, SampleColumns.PcaX, SampleColumns.PcaY, coordinates));
        }

        private (object, Action<SqliteConnection, SqliteTransaction>) RunUmap(Action<double> report)
        {
            var data = Embeddings;
            var prepared = UmapProjector.Prepare(data, new UmapOptions
            {
                NeighbourCount = settings.NeighbourCount,
                MinDist = settings.MinDist,
                Metric = DistanceMetric.Cosine,
                Seed = settings.Seed,
                Deterministic = settings.Deterministic,
            }, cancellationToken: cancellationToken);
            var layout = prepared.Layout;
            // The graph and initialisation take roughly a tenth of the time; the epochs and the evaluation the rest.
            report(0.1);
            while (!layout.IsComplete)
            {
                cancellationToken.ThrowIfCancellationRequested();
                layout.Step();
                report(0.1 + (0.8 * layout.Epoch / layout.TotalEpochs));
            }
            var coordinates = new RowMatrix(layout.Embedding, data.Rows, layout.Dimensions);
            var (trust, evaluated) = EvaluateTrustworthiness(coordinates);
            var (pcaTrust, _) = EvaluateTrustworthiness(Pca2D(data));
            return (new { trustworthiness = trust, pca_trustworthiness = pcaTrust, trustworthiness_k = settings.TrustworthinessNeighbours,
                    trustworthiness_points = evaluated, epochs = layout.TotalEpochs, initialisation = prepared.Initialisation.ToString() },
                (connection, transaction) => WriteCoordinates(connection, transaction, SampleColumns.UmapX, SampleColumns.UmapY, coordinates));
        }

        private (object, Action<SqliteConnection, SqliteTransaction>) RunKMeans(Action<double> report)
        {
            var fit = KMeans.Fit(Embeddings, new KMeansOptions
            {
                ClusterCount = settings.EffectiveClusterCount(N), Metric = ClusteringMetric.Cosine, Seed = settings.Seed,
            });
            report(0.9);
            var summaries = ClusterSummarizer.Summarize(Samples.Select(s => s.Member).ToList(), fit.Labels);
            return (new { clusters = fit.ClusterCount, inertia = fit.Inertia, iterations = fit.Iterations, converged = fit.Converged },
                (connection, transaction) =>
                {
                    LatentStore.UpdateSamples(connection, transaction, run.Id, SampleIndices(), [SampleColumns.Cluster], (row, _) => fit.Labels[row]);
                    LatentStore.ReplaceClusters(connection, transaction, run.Id, LatentStages.KMeans, summaries);
                });
        }

        private (object, Action<SqliteConnection, SqliteTransaction>) RunHdbscan(RowMatrix map, Action<double> report)
        {
            var fit = Clustering.Hdbscan.Fit(map, new HdbscanOptions { MinClusterSize = settings.EffectiveMinClusterSize(N) });
            report(0.9);
            var summaries = ClusterSummarizer.Summarize(Samples.Select(s => s.Member).ToList(), fit.Labels);
            var noise = fit.Labels.Count(label => label == ClusterSummarizer.Noise);
            return (new { clusters = fit.ClusterCount, noise_points = noise, noise_share = (double)noise / N },
                (connection, transaction) =>
                {
                    LatentStore.UpdateSamples(connection, transaction, run.Id, SampleIndices(), [SampleColumns.HdbscanCluster], (row, _) => fit.Labels[row]);
                    LatentStore.ReplaceClusters(connection, transaction, run.Id, LatentStages.Hdbscan, summaries);
                });
        }

        private (object, Action<SqliteConnection, SqliteTransaction>) RunLabelScores(Action<double> report)
        {
            var neighbourShares = NeighbourTypeShares();
            report(0.5);
            var weights = settings.LabelWeights;
            var scores = new LabelErrorScores[Samples.Count];
            for (var i = 0; i < scores.Length; i++)
            {
                if (i % 256 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    report(0.5 + (0.4 * i / scores.Length));
                }
                var input = Samples[i].LabelInput;
                scores[i] = LabelErrorScorer.Score(input, LabelErrorComponents.Of(input, neighbourShares[i]), weights);
            }
            double Share(LabelKind kind) => scores.Count(s => s.Kind == kind) / (double)scores.Length;
            return (new
                {
                    mean_score = scores.Average(s => s.Score),
                    probably_wrong_share = Share(LabelKind.ProbablyWrong),
                    ambiguous_share = Share(LabelKind.Ambiguous),
                    disjoint_share = scores.Count(s => s.Components.DisjointConfidence > 0) / (double)scores.Length,
                    weights = LabelWeightsUsed.Of(weights), // named LabelWeightsUsed.ResultField
                },
                (connection, transaction) => LatentStore.WriteLabelScores(connection, transaction, run.Id, SampleIndices(), scores));
        }

        /// <summary>Per sample, the share of its <see cref="LabelErrorComponents.NeighbourCount"/> nearest neighbours by
        /// context embedding (cosine, exact) whose first gold has another answer type.</summary>
        private double[] NeighbourTypeShares()
        {
            var neighbours = new CosineNeighbourIndex(Embeddings).QueryAll(Math.Min(LabelErrorComponents.NeighbourCount, N - 1));
            return [.. Enumerable.Range(0, N).Select(i => LabelErrorComponents.NeighbourTypeShare(
                Samples[i].Member.AnswerType, [.. neighbours[i].Select(n => Samples[n.Index].Member.AnswerType)]))];
        }

        private List<int> SampleIndices() => Samples.Select(s => s.SampleIndex).ToList();

        private static RowMatrix Pca2D(RowMatrix data) => Pca.Fit(data, Math.Min(2, data.Columns)).Transform(data);

        private void WriteCoordinates(SqliteConnection connection, SqliteTransaction transaction,
            string xColumn, string yColumn, RowMatrix coordinates) =>
            LatentStore.UpdateSamples(connection, transaction, run.Id, SampleIndices(), [xColumn, yColumn],
                (row, column) => column < coordinates.Columns ? (double)coordinates.Values[(row * coordinates.Columns) + column] : 0.0);

        /// <summary>The stored UMAP map (the umap stage may have finished in an earlier call).</summary>
        private RowMatrix UmapCoordinates() => store.UmapCoordinates(run.Id);

        private static string Sha256(RowMatrix matrix) =>
            Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(matrix.Values.AsSpan())));

        /// <summary>Trustworthiness of <paramref name="embedding"/> against the cosine input on a seeded subsample; null
        /// when the run is too small for k (Trustworthiness needs k &lt; n / 2).</summary>
        private (double? Value, int Points) EvaluateTrustworthiness(RowMatrix embedding)
        {
            var k = settings.TrustworthinessNeighbours;
            var chosen = Subsample(N, settings.TrustworthinessSampleSize, settings.Seed);
            if (k >= chosen.Length / 2.0)
            {
                return (null, chosen.Length);
            }
            return (Trustworthiness.Compute(Rows(Embeddings, chosen), Rows(embedding, chosen), k, DistanceMetric.Cosine), chosen.Length);
        }

        private static int[] Subsample(int count, int size, int seed)
        {
            var indices = Enumerable.Range(0, count).ToArray();
            if (count <= size)
            {
                return indices;
            }
            var random = new Random(seed);
            for (var i = 0; i < size; i++)
            {
                var j = random.Next(i, count);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }
            var chosen = indices[..size];
            Array.Sort(chosen);
            return chosen;
        }

        private static RowMatrix Rows(RowMatrix matrix, int[] rows)
        {
            if (rows.Length == matrix.Rows)
            {
                return matrix;
            }
            var values = new float[rows.Length * matrix.Columns];
            for (var i = 0; i < rows.Length; i++)
            {
                matrix.Row(rows[i]).CopyTo(values.AsSpan(i * matrix.Columns, matrix.Columns));
            }
            return new RowMatrix(values, rows.Length, matrix.Columns);
        }
    }
}
