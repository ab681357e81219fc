using SquadAlbert.Analysis.Model;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// <see cref="QaPipeline"/>, described by <see cref="SampleAnalyzer"/> and committed with its <c>run_batches</c> row in
/// one transaction. A run is identified by a key over the model's file hashes, the settings and the population's
/// members; calling again with the same key resumes an incomplete run at its first missing batch and returns a
/// finished one untouched unless <see cref="AnalysisRequest.Force"/> asks for a new run.
/// </summary>
public static class AnalysisRunner
{
    public static AnalysisResult Run(
        SqliteConnectionFactory database, AnalysisRequest request, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(request);
        request.Settings.Validate();
        var store = new RunStore(database);
        var members = request.Population.Members;
        var batchSize = request.Settings.QuestionsPerBatch;
        var batchCount = (members.Count + batchSize - 1) / batchSize;
        var modelSha = ModelFingerprint.Sha256(request.ModelDirectory);
        var settingsJson = request.Settings.ToJson();
        var runKey = RunKey(modelSha, settingsJson, request.Population);

        var existing = request.Force ? null : store.FindLatest(runKey);
        if (existing is { IsFinished: true })
        {
            return new AnalysisResult(existing.Id, AnalysisOutcome.AlreadyFinished, 0, existing.BatchCount);
        }
        var runId = existing?.Id ?? store.CreateRun(new RunInfo(
            0, runKey, Path.GetFullPath(request.ModelDirectory), modelSha, JsonSerializer.Serialize(request.DataFiles), request.Population.Preset,
            request.Population.Description, settingsJson, RunInfo.Incomplete, RunStore.Timestamp(DateTimeOffset.UtcNow), null, members.Count,
            batchCount, null, null, null, null));
        var done = store.Batches(runId).Select(b => b.BatchIndex).ToHashSet();

        var samplesDone = done.Sum(b => Math.Min(batchSize, members.Count - b * batchSize));
        var computedSamples = 0;
        var batchesDone = done.Count;
        var clock = Stopwatch.StartNew();
        progress?.Report(new AnalysisProgress(samplesDone, members.Count, done.Count, batchCount, 0, null));
        if (done.Count < batchCount)
        {
            using var pipeline = QaPipeline.Open(request.ModelDirectory, request.Settings.Featurizer, request.Threads, cancellationToken);
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
                store.WriteBatch(runId, new RunBatch(b, first, batchMembers.Count, result.Windows.Count, batchClock.ElapsedMilliseconds), records);

                samplesDone += batchMembers.Count;
                computedSamples += batchMembers.Count;
                batchesDone++;
                var rate = computedSamples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                progress?.Report(new AnalysisProgress(
                    samplesDone, members.Count, batchesDone, batchCount, rate, TimeSpan.FromSeconds((members.Count - samplesDone) / rate)));
            }
        }
        store.Finish(runId);
        var computed = batchCount - done.Count;
        return new AnalysisResult(runId, existing is null ? AnalysisOutcome.Computed : AnalysisOutcome.Resumed, computed, done.Count);
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
