using System.Text.Json;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Runs;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Analysis.Text;

namespace SquadAlbert.Analysis.Attribution;

/// <summary>Which attribution of a sample to show: the cache key of the <c>attributions</c> table besides run and sample.</summary>
/// <param name="Steps">Integration steps (Gauss–Legendre nodes, or the maximum number of intervals for the adaptive rule);
/// gradient × input ignores them and is stored with 0.</param>
/// <param name="Rule">Integrated gradients' rule: <see cref="IntegrationRule.GaussLegendre"/> or <see cref="IntegrationRule.Adaptive"/>
/// (the steps actually used are in the result's key).</param>
public sealed record SampleAttributionRequest(
    AttributionMethod Method, AttributionTarget Target, int Steps, IntegrationRule Rule = IntegrationRule.GaussLegendre)
{
    /// <summary>The steps as stored: 0 for the one-point methods, so every steps setting finds the same row; the Gauss–Legendre
    /// node count; MINUS the maximum intervals for the adaptive rule, so an adaptive row never answers a fixed request (nor the
    /// reverse) without a schema change (rows written before the adaptive rule are Gauss–Legendre, positive).</summary>
    public int StoredSteps => Method != AttributionMethod.IntegratedGradients ? 0 : Rule == IntegrationRule.Adaptive ? -Steps : Steps;

    /// <summary><c>attributions.method</c>.</summary>
    public string MethodName => Method switch
    {
        AttributionMethod.IntegratedGradients => "integrated_gradients",
        AttributionMethod.GradientTimesInput => "gradient_x_input",
        _ => throw new ArgumentOutOfRangeException(nameof(Method), Method, "the attributions table stores integrated gradients and gradient × input only"),
    };

    /// <summary><c>attributions.target</c>.</summary>
    public string TargetName => Target switch
    {
        AttributionTarget.Loss => "loss",
        AttributionTarget.StartLogit => "start",
        AttributionTarget.EndLogit => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(Target), Target, "unknown attribution target"),
    };

    /// <exception cref="InputException">Unsupported method or fewer than one step.</exception>
    public void Validate()
    {
        if (Method is not (AttributionMethod.IntegratedGradients or AttributionMethod.GradientTimesInput))
        {
            throw new InputException($"attribution: method {Method} is not cached; use integrated gradients or gradient × input.");
        }
        if (Method == AttributionMethod.IntegratedGradients && Steps < 1)
        {
            throw new InputException($"attribution: integrated gradients needs at least 1 step, got {Steps}.");
        }
        if (Method == AttributionMethod.IntegratedGradients && Rule is not (IntegrationRule.GaussLegendre or IntegrationRule.Adaptive))
        {
            throw new InputException($"attribution: rule {Rule} is not cached; use Gauss–Legendre or adaptive.");
        }
        if (Method == AttributionMethod.IntegratedGradients && Rule == IntegrationRule.Adaptive && Steps < AdaptivePathQuadrature.InitialIntervals)
        {
            throw new InputException(
                $"attribution: the adaptive rule starts with {AdaptivePathQuadrature.InitialIntervals} intervals; its maximum must be at least that, got {Steps}.");
        }
    }
}

/// <summary>An attribution of one sample with its cache facts.</summary>
/// <param name="CompletenessError">Integrated gradients: |Σ attributions − (f(x) − f(x'))| / |f(x) − f(x')|, the relative
/// completeness error; null for gradient × input, which promises no completeness.</param>
/// <param name="CreatedAt">When it was computed (UTC, whole milliseconds: <see cref="StoredTime"/>).</param>
/// <param name="FromCache">True when read from the table rather than computed by this call.</param>
public sealed record SampleAttribution(QaAttribution Attribution, double? CompletenessError, DateTimeOffset CreatedAt, bool FromCache);

/// <summary>
/// Get-or-compute attributions of a run's samples, cached in the <c>attributions</c> table. A sample's window is rebuilt as
/// the run built it: the run's model folder, its featurizer settings, and the sample's loss window (the window whose gold
/// positions its loss used), so the loss target is the loss the run recorded. Target positions are always the gold ones.
/// Nothing is computed when the folder's files are no longer those the run was analysed with (<see cref="RunModelCheck"/>):
/// the heatmap would explain other weights than the stored prediction and loss.
/// Thread-safe; one model is kept loaded per model folder and version, and computations run one at a time (they use all cores).
/// </summary>
/// <param name="fingerprints">Shared with the other readers of model folders (the dashboard's token views), so each folder
/// version is hashed once; null for a cache of its own.</param>
public sealed class AttributionCache(SqliteConnectionFactory database, int? threads = null, ModelFingerprintCache? fingerprints = null) : IDisposable
{
    private readonly SemaphoreSlim _computeGate = new(1, 1);
    private readonly ModelFingerprintCache _fingerprints = fingerprints ?? new ModelFingerprintCache();
    private readonly Dictionary<(string Folder, string Sha256), (ISubwordTokenizer Tokenizer, QaAttributor Attributor)> _models = [];
    private int _computations;

    /// <summary>How many attributions this instance computed (not read from the table).</summary>
    public int Computations => Volatile.Read(ref _computations);

    /// <summary>How many models this instance loaded.</summary>
    public int ModelLoads { get; private set; }

    public SampleAttribution? Find(long runId, int sampleIndex, SampleAttributionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT result_json, completeness_error, created_at FROM attributions
            WHERE run_id = $run AND sample_index = $sample AND method = $method AND target = $target AND steps = $steps
            """;
        AddKey(command, runId, sampleIndex, request);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        var source = $"attributions row (run {runId}, sample {sampleIndex}, {request.MethodName}, {request.TargetName}, {request.StoredSteps})";
        var attribution = QaAttribution.FromJson(reader.Text("result_json"), source);
        return new SampleAttribution(attribution, reader.RealOrNull("completeness_error"), reader.Time("created_at", source), FromCache: true);
    }

    /// <exception cref="InputException">The run or sample does not exist, its model folder is gone or holds another model than
    /// the run's, or the request is invalid.</exception>
    public async Task<SampleAttribution> GetOrComputeAsync(long runId, int sampleIndex, SampleAttributionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (Find(runId, sampleIndex, request) is { } cached)
        {
            return cached;
        }
        await _computeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have computed it while this one waited.
            if (Find(runId, sampleIndex, request) is { } justComputed)
            {
                return justComputed;
            }
            return await Task.Run(() => Compute(runId, sampleIndex, request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _computeGate.Release();
        }
    }

    /// <summary>
    /// Gets a run's model ready for its first attribution — the model check, the model's loading and the gradient graph of
    /// <paramref name="target"/> — so that a page can start it when it opens and the user's first heatmap costs only its own
    /// computation. Returns false (and leaves the error to the request, which reports it) when the run, its folder or its
    /// model does not fit; cancelling stops waiting, not a load already started.
    /// </summary>
    public async Task<bool> PrepareAsync(long runId, AttributionTarget target = AttributionTarget.Loss, CancellationToken cancellationToken = default)
    {
        await _computeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                if (new RunStore(database).Find(runId) is not { } run || RunModelCheck.Changed(run, _fingerprints) is not null)
                {
                    return false;
                }
                try
                {
                    ModelOf(run.ModelPath, run.ModelSha256).Attributor.Prepare(target);
                    return true;
                }
                catch (InputException)
                {
                    return false;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _computeGate.Release();
        }
    }

    private SampleAttribution Compute(long runId, int sampleIndex, SampleAttributionRequest request, CancellationToken cancellationToken)
    {
        var run = new RunStore(database).Find(runId) ?? throw new InputException($"attribution: run {runId} does not exist.");
        var sample = new RunSampleReader(database).Find(runId, sampleIndex)
            ?? throw new InputException($"attribution: run {runId} has no sample {sampleIndex}.");
        var settings = ParseSettings(run);
        if (RunModelCheck.Changed(run, _fingerprints) is { } changed)
        {
            throw new InputException(
                $"attribution: {changed} An attribution computed now would explain other weights than the run's stored prediction and loss; " +
                "restore the folder, or analyse the new model into a run of its own.");
        }
        var (tokenizer, attributor) = ModelOf(run.ModelPath, run.ModelSha256);
        var windows = new QaFeaturizer(tokenizer, settings.Featurizer).Featurize(sample.ToExample(), sampleIndex);
        if (sample.LossWindow < 0 || sample.LossWindow >= windows.Count)
        {
            throw new InputException(
                $"attribution: sample {sampleIndex} of run {runId} records loss window {sample.LossWindow} but featurizes into {windows.Count} windows; was the model's tokenizer changed?");
        }
        var options = new AttributionOptions(request.Method, request.Target, TargetPositions.Gold, Math.Max(request.Steps, 1), request.Rule);
        var attribution = attributor.Attribute(windows[sample.LossWindow], options, cancellationToken);
        var completeness = attribution.Completeness?.RelativeError;
        var createdAt = StoredTime.AsStored(DateTimeOffset.UtcNow);

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO attributions (run_id, sample_index, method, target, steps, result_json, completeness_error, created_at)
            VALUES ($run, $sample, $method, $target, $steps, $json, $completeness, $created)
            """;
        AddKey(command, runId, sampleIndex, request);
        command.Parameters.AddWithValue("$json", attribution.ToJson());
        command.Parameters.AddWithValue("$completeness", completeness is { } c && double.IsFinite(c) ? c : DBNull.Value);
        command.Parameters.AddWithValue("$created", StoredTime.ToText(createdAt));
        command.ExecuteNonQuery();
        Interlocked.Increment(ref _computations);
        return new SampleAttribution(attribution, completeness, createdAt, FromCache: false);
    }

    private static AnalysisSettings ParseSettings(RunInfo run)
    {
        try
        {
            return JsonSerializer.Deserialize<AnalysisSettings>(run.SettingsJson)
                ?? throw new InputException($"run {run.Id}: settings_json is null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"run {run.Id}: settings_json is not analysis settings at {ex.Path}: {ex.Message}", ex);
        }
    }

    /// <summary>The loaded model of a folder version: keyed by the hash too, so a folder rewritten with another model (for
    /// another run) never reuses the weights loaded for the first.</summary>
    private (ISubwordTokenizer Tokenizer, QaAttributor Attributor) ModelOf(string modelPath, string sha256)
    {
        if (!_models.TryGetValue((modelPath, sha256), out var model))
        {
            if (!Directory.Exists(modelPath))
            {
                throw new InputException($"attribution: the run's model folder '{modelPath}' does not exist any more.");
            }
            var tokenizer = ModelTokenizer.Load(modelPath);
            var attributor = new QaAttributor(QaCheckpoint.Load(modelPath), tokenizer.PieceOf, tokenizer.PadId, threads: threads);
            model = (tokenizer, attributor);
            _models[(modelPath, sha256)] = model;
            ModelLoads++;
        }
        return model;
    }

    private static void AddKey(Microsoft.Data.Sqlite.SqliteCommand command, long runId, int sampleIndex, SampleAttributionRequest request)
    {
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$sample", sampleIndex);
        command.Parameters.AddWithValue("$method", request.MethodName);
        command.Parameters.AddWithValue("$target", request.TargetName);
        command.Parameters.AddWithValue("$steps", request.StoredSteps);
    }

    public void Dispose()
    {
        foreach (var (_, attributor) in _models.Values)
        {
            attributor.Dispose();
        }
        _models.Clear();
        _computeGate.Dispose();
    }
}
