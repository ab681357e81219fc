using System.Collections.Concurrent;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Analysis.WhatIf;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>The tokenizer of each model folder a run names, loaded once per folder version (a folder rewritten with another
/// model gets its new tokenizer; only the latest version of each folder is kept).</summary>
/// <param name="fingerprints">Tells folder versions apart; null for a cache of its own.</param>
public sealed class RunTokenizers(ModelFingerprintCache? fingerprints = null)
{
    private readonly ModelFingerprintCache _fingerprints = fingerprints ?? new ModelFingerprintCache();
    private readonly ConcurrentDictionary<string, (string Version, Lazy<ISubwordTokenizer> Tokenizer)> _tokenizers = new(StringComparer.Ordinal);

    /// <exception cref="Analysis.InputException">The folder has no model files or no readable tokenizer.</exception>
    public ISubwordTokenizer For(string modelFolder)
    {
        if (!Directory.Exists(modelFolder))
        {
            // Let the tokenizer loader say what is missing.
            return ModelTokenizer.Load(modelFolder);
        }
        var version = _fingerprints.Sha256(modelFolder);
        var entry = _tokenizers.AddOrUpdate(
            modelFolder,
            folder => (version, new Lazy<ISubwordTokenizer>(() => ModelTokenizer.Load(folder))),
            (folder, old) => old.Version == version ? old : (version, new Lazy<ISubwordTokenizer>(() => ModelTokenizer.Load(folder))));
        try
        {
            return entry.Tokenizer.Value;
        }
        catch
        {
            // A broken tokenizer may be fixed later; do not cache the failure.
            _tokenizers.TryRemove(new KeyValuePair<string, (string, Lazy<ISubwordTokenizer>)>(modelFolder, entry));
            throw;
        }
    }
}

/// <summary>The neighbour indexes of the last <see cref="MaxRuns"/> finished runs used, each built at its first use (a finished
/// run's embeddings never change); a run still being analysed gets a fresh index each time, so its new batches count.
/// An index holds every embedding of its run, so older ones are dropped rather than kept for every run ever opened.</summary>
public sealed class RunNeighbourIndexes(RunDatabase database)
{
    public const int MaxRuns = 4;

    private readonly ConcurrentDictionary<long, (Lazy<RunNeighbours> Index, long LastUse)> _indexes = new();
    private long _clock;

    public RunNeighbours For(long runId)
    {
        if (database.Runs.Find(runId) is not { IsFinished: true })
        {
            return RunNeighbours.Load(database.Connections, runId);
        }
        var use = Interlocked.Increment(ref _clock);
        var entry = _indexes.AddOrUpdate(
            runId,
            id => (new Lazy<RunNeighbours>(() => RunNeighbours.Load(database.Connections, id)), use),
            (_, old) => old with { LastUse = use });
        foreach (var stale in _indexes.OrderByDescending(r => r.Value.LastUse).Skip(MaxRuns).ToList())
        {
            _indexes.TryRemove(stale);
        }
        return entry.Index.Value;
    }
}

public static class ReviewServiceRegistration
{
    /// <summary>The sample and review pages' singletons: model fingerprints, attribution cache, neighbour indexes, tokenizers, review store,
    /// the what-if reader and its variants.</summary>
    public static IServiceCollection AddSampleReview(this IServiceCollection services)
    {
        services.AddSingleton<ModelFingerprintCache>();
        services.AddSingleton(s => new AttributionCache(s.GetRequiredService<RunDatabase>().Connections, fingerprints: s.GetRequiredService<ModelFingerprintCache>()));
        services.AddSingleton<RunNeighbourIndexes>();
        services.AddSingleton(s => new RunTokenizers(s.GetRequiredService<ModelFingerprintCache>()));
        services.AddSingleton(s => new ReviewStore(s.GetRequiredService<RunDatabase>().Connections));
        services.AddSingleton(s => new RunSampleReader(s.GetRequiredService<RunDatabase>().Connections));
        services.AddSingleton(s => new WhatIfReader(fingerprints: s.GetRequiredService<ModelFingerprintCache>()));
        services.AddSingleton(s => new WhatIfVariantStore(s.GetRequiredService<RunDatabase>().Connections));
        return services;
    }
}
