using System.Collections.Concurrent;
using SquadAlbert.Analysis.Attribution;
using SquadAlbert.Analysis.Model.Checkpoint;
using SquadAlbert.Analysis.Neighbours;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Analysis.Text;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>The tokenizer of each model folder a run names, loaded once.</summary>
public sealed class RunTokenizers
{
    private readonly ConcurrentDictionary<string, Lazy<ISubwordTokenizer>> _tokenizers = new(StringComparer.Ordinal);

    /// <exception cref="Analysis.InputException">The folder has no readable spiece.model.</exception>
    public ISubwordTokenizer For(string modelFolder)
    {
        var lazy = _tokenizers.GetOrAdd(modelFolder, folder => new Lazy<ISubwordTokenizer>(
            () => ModelTokenizer.Load(folder)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A missing model may be restored later; do not cache the failure.
            _tokenizers.TryRemove(modelFolder, out _);
            throw;
        }
    }
}

/// <summary>One neighbour index per finished run, built at its first use (a finished run's embeddings never change); a run
/// still being analysed gets a fresh index each time, so its new batches count.</summary>
public sealed class RunNeighbourIndexes(RunDatabase database)
{
    private readonly ConcurrentDictionary<long, Lazy<RunNeighbours>> _indexes = new();

    public RunNeighbours For(long runId)
    {
        if (database.Runs.Find(runId) is not { IsFinished: true })
        {
            return RunNeighbours.Load(database.Connections, runId);
        }
        return _indexes.GetOrAdd(runId, id => new Lazy<RunNeighbours>(() => RunNeighbours.Load(database.Connections, id))).Value;
    }
}

public static class ReviewServiceRegistration
{
    /// <summary>The sample and review pages' singletons: attribution cache, neighbour indexes, tokenizers, review store.</summary>
    public static IServiceCollection AddSampleReview(this IServiceCollection services)
    {
        services.AddSingleton(s => new AttributionCache(s.GetRequiredService<RunDatabase>().Connections));
        services.AddSingleton<RunNeighbourIndexes>();
        services.AddSingleton<RunTokenizers>();
        services.AddSingleton(s => new ReviewStore(s.GetRequiredService<RunDatabase>().Connections));
        services.AddSingleton(s => new RunSampleReader(s.GetRequiredService<RunDatabase>().Connections));
        return services;
    }
}
