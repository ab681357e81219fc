using SquadAlbert.Analysis.Model;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Model.Inference;
using SquadAlbert.Analysis.Storage;

namespace SquadAlbert.Analysis.Runs;

/// <summary>What to analyse.</summary>
/// <param name="DataFiles">The SQuAD files the population was drawn from, as given by the user (recorded with the run).</param>
/// <param name="Force">Compute a new run even when an equal one already finished.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; null for all cores.</param>
public sealed record AnalysisRequest(
    string ModelDirectory, Population Population, IReadOnlyList<string> DataFiles, AnalysisSettings Settings, bool Force = false, int? Threads = null);

/// <summary>Progress of a run, reported after every committed batch.</summary>
/// <param name="SamplesPerSecond">Rate of this invocation (batches skipped on resume excluded); 0 before the first batch.</param>
/// <param name="Remaining">Estimated time left at that rate; null before the first batch.</param>
public readonly record struct AnalysisProgress(int SamplesDone, int SamplesTotal, int BatchesDone, int BatchesTotal, double SamplesPerSecond, TimeSpan? Remaining)
{
    public double Fraction => SamplesTotal == 0 ? 1 : (double)SamplesDone / SamplesTotal;
}

public enum AnalysisOutcome
{
    /// <summary>A new run computed from scratch.</summary>
    Computed,
    /// <summary>An interrupted run completed; its committed batches were kept.</summary>
    Resumed,
    /// <summary>An equal run had already finished: nothing was computed.</summary>
    AlreadyFinished,
}

/// <param name="BatchesComputed">Batches computed by this call; finished batches of a resumed run are not recomputed.</param>
public sealed record AnalysisResult(long RunId, AnalysisOutcome Outcome, int BatchesComputed, int BatchesSkipped);

/// <summary>
/// Computes an analysis run into the database: the population is cut into batches of
/// <see cref="AnalysisSettings.QuestionsPerBatch"/> questions in population order; each batch is answered by the
/// <see cref="QaPipeline"/> (SQuAD 2.0 populations with the null answer, see <see cref="ResolveSettings"/>), described by
/// <see cref="SampleAnalyzer"/> (unanswerable questions included) and committed with its <c>run_batches</c> row in
/// one transaction. A run is identified by a key over the model's file hashes, the settings and the population's
/// members; calling again with the same key resumes an incomplete run at its first missing batch and returns a
/// finished one untouched unless <see cref="AnalysisRequest.Force"/> asks for a new run. One writer per run: the run is
/// claimed when it is found or created (<see cref="RunStore.BeginWriting"/>) and its claim kept alive while it is written,
/// so a second equal analysis (another process, or the dashboard beside the CLI) stops with <see cref="RunBusyException"/>.
/// </summary>
public static class AnalysisRunner
{
    public static AnalysisResult Run(
        SqliteConnectionFactory database, AnalysisRequest request, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        request = request with { Settings = ResolveSettings(request) };
        var store = new RunStore(database);
        var members = request.Population.Members;
        var batchSize = request.Settings.QuestionsPerBatch;
        var batchCount = (members.Count + batchSize - 1) / batchSize;
        var modelSha = ModelFingerprint.Sha256(request.ModelDirectory);
        var settingsJson = request.Settings.ToJson();
        var runKey = RunKey(modelSha, settingsJson, request.Population);

        if (!request.Force && store.FindLatest(runKey) is { IsFinished: true } finished)
        {
            return new AnalysisResult(finished.Id, AnalysisOutcome.AlreadyFinished, 0, finished.BatchCount);
        }
        // The model is loaded (and its weights checked) before the run row exists, so a folder that cannot answer leaves nothing behind.
        using var pipeline = QaPipeline.Open(
            request.ModelDirectory, request.Settings.Featurizer, request.Threads, request.Settings.Precision, cancellationToken);
        var writer = RunWriter.ForThisProcess();
        var start = store.BeginWriting(new NewRun(
            runKey, Path.GetFullPath(request.ModelDirectory), modelSha, request.DataFiles, request.Population.Preset, request.Population.Description,
            settingsJson, members.Count, batchCount), request.Force, writer);
        var runId = start.Run.Id;
        if (start.Run.IsFinished)
        {
            // Another writer finished it while this one loaded the model.
            return new AnalysisResult(runId, AnalysisOutcome.AlreadyFinished, 0, start.Run.BatchCount);
        }
        using var claim = new RunClaimHeartbeat(store, runId, writer);
        var done = store.Batches(runId).Select(b => b.BatchIndex).ToHashSet();
        try
        {
            Compute(store, runId, writer, pipeline, request, done, progress, cancellationToken);
        }
        catch (InputException) when (start.Created)
        {
            // The model computed NaN for the first batch (say): a new run that holds nothing is removed, not left to fail again.
            store.Abandon(runId, writer);
            throw;
        }
        store.Finish(runId, writer);
        return new AnalysisResult(runId, start.Created ? AnalysisOutcome.Computed : AnalysisOutcome.Resumed, batchCount - done.Count, done.Count);
    }

    private static void Compute(
        RunStore store, long runId, RunWriter writer, QaPipeline pipeline, AnalysisRequest request, HashSet<int> done,
        IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        var members = request.Population.Members;
        var batchSize = request.Settings.QuestionsPerBatch;
        var batchCount = (members.Count + batchSize - 1) / batchSize;
        var samplesDone = done.Sum(b => Math.Min(batchSize, members.Count - b * batchSize));
        var computedSamples = 0;
        var batchesDone = done.Count;
        var clock = Stopwatch.StartNew();
        progress?.Report(new AnalysisProgress(samplesDone, members.Count, done.Count, batchCount, 0, null));
        var analyzer = new SampleAnalyzer(pipeline.Tokenizer, request.Settings);
        var runOptions = new QaRunOptions(request.Settings.WindowsPerModelCall, IncludeEmbeddings: true);
        for (var b = 0; b < batchCount; b++)
        {
            if (done.Contains(b))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var batchClock = Stopwatch.StartNew();
            var first = b * batchSize;
            var batchMembers = members.Skip(first).Take(batchSize).ToList();
            var result = pipeline.Answer([.. batchMembers.Select(m => m.Example)], runOptions, request.Settings.PostProcessing, null, cancellationToken);
            var records = analyzer.Describe(batchMembers, first, result, cancellationToken);
            // The claim keeps every other writer out, so a batch found written already is only skipped, never written twice.
            store.WriteBatch(runId, new RunBatch(b, first, batchMembers.Count, result.Windows.Count, batchClock.ElapsedMilliseconds), records, writer);

            samplesDone += batchMembers.Count;
            computedSamples += batchMembers.Count;
            batchesDone++;
            var rate = computedSamples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            progress?.Report(new AnalysisProgress(
                samplesDone, members.Count, batchesDone, batchCount, rate, TimeSpan.FromSeconds((members.Count - samplesDone) / rate)));
        }
    }

    /// <summary>
    /// The settings a run is computed and stored with: for a SQuAD 2.0 population the no-answer threshold asked for, else
    /// the model folder's (<see cref="ModelNullThreshold"/>), else 0.0; for a v1.1 population none (no abstention; the
    /// settings JSON and run key stay what they were before SQuAD 2.0 support).
    /// </summary>
    /// <exception cref="InputException">The model folder's threshold setting is not a number.</exception>
    public static AnalysisSettings ResolveSettings(AnalysisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Settings with
        {
            NullThreshold = request.Population.IsVersion2 ? ModelNullThreshold.Resolve(request.Settings.NullThreshold, request.ModelDirectory) : null,
        };
    }

    /// <summary>
    /// Identifies equal runs: SHA-256 over the model hash, the settings JSON and, for every member in order, its split,
    /// id, title, question, context and gold answers, so an edited data file never resumes a run of the old one.
    /// </summary>
    public static string RunKey(string modelSha256, string settingsJson, Population population)
    {
        ArgumentNullException.ThrowIfNull(population);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string field) => hash.AppendData(Encoding.UTF8.GetBytes(field.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + field));
        Add(modelSha256);
        Add(settingsJson);
        foreach (var member in population.Members)
        {
            var example = member.Example;
            foreach (var field in new[] { member.Split, example.Id, example.Title, example.Question, example.Context })
            {
                Add(field);
            }
            Add(example.Answers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var answer in example.Answers)
            {
                Add(answer.Text);
                Add(answer.AnswerStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
