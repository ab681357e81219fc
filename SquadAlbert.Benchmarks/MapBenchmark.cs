using System.Diagnostics;
using System.Globalization;
using SquadAlbert.Analysis.Exploration;
using SquadAlbert.Analysis.Storage;
using SquadAlbert.Testing;

namespace SquadAlbert.Benchmarks;

/// <summary>
/// What opening and recolouring the population map costs as a run grows: synthetic runs of 10k (the dev set's size)
/// and 100k samples in a temporary SQLite file; the map's one query, the once-per-run points payload, and the
/// per-recolour style payload, with the 100k/10k ratios. Best of <see cref="Repeats"/> runs after one warm-up; the query's
/// first run (the 10k run's is the process's first read, compiling it) is printed too.
/// </summary>
internal static class MapBenchmark
{
    private const int Repeats = 3;

    public static int Run(bool quick, string? keepDatabase)
    {
        int[] sizes = quick ? [10_000, 20_000] : [10_000, 100_000];
        var path = keepDatabase ?? Path.Combine(Path.GetTempPath(), $"squad-albert-map-bench-{Guid.NewGuid():N}.db");
        try
        {
            var database = AppSchema.Initialize(path);
            var results = new List<Measurement>();
            foreach (var size in sizes)
            {
                var watch = Stopwatch.StartNew();
                var runId = SyntheticRun.Create(database, size, seed: size);
                Console.WriteLine($"run {runId}: {size:N0} synthetic samples written in {watch.Elapsed.TotalSeconds:F1} s");
                results.Add(Measure(database, runId, size));
            }
            Console.WriteLine();
            Console.WriteLine("samples  | first query ms | query ms | points payload ms | points payload MB | recolour ms | recolour payload KB");
            foreach (var m in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Size,8:N0} | {m.FirstQueryMs,14:F0} | {m.QueryMs,8:F0} | {m.PointsMs,17:F0} | {m.PointsBytes / 1e6,17:F2} | {m.RecolourMs,11:F1} | {m.RecolourBytes / 1e3,19:F0}"));
            }
            var (small, large) = (results[0], results[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio {large.Size / small.Size}x samples: query {large.QueryMs / small.QueryMs:F1}x, points payload time {large.PointsMs / small.PointsMs:F1}x, " +
                $"size {(double)large.PointsBytes / small.PointsBytes:F1}x, recolour time {large.RecolourMs / small.RecolourMs:F1}x, size {(double)large.RecolourBytes / small.RecolourBytes:F1}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"a recolour sends {100.0 * large.RecolourBytes / large.PointsBytes:F1}% of the first load's bytes at {large.Size:N0} samples"));
            if (keepDatabase is not null)
            {
                Console.WriteLine($"kept {path}");
            }
            return 0;
        }
        finally
        {
            if (keepDatabase is null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    private sealed record Measurement(int Size, double FirstQueryMs, double QueryMs, double PointsMs, long PointsBytes, double RecolourMs, long RecolourBytes);

    private static Measurement Measure(SqliteConnectionFactory database, long runId, int size)
    {
        var first = Stopwatch.StartNew();
        MapPoints.Load(database, runId);
        var firstQuery = first.Elapsed.TotalMilliseconds;
        var query = Best(() => MapPoints.Load(database, runId), out var points);
        var pointsTime = Best(() => MapPointsPayload.Build(points, MapProjection.Umap), out var payload);
        var visible = MapFilters.Apply(points, [MapFilter.Parse("f1=..0.5")]);
        // A recolour: a categorical colouring with sizes by loss under one filter, as the page builds it.
        var recolour = Best(() => MapStylePayload.Build(
            MapColouring.ByCategory(points, MapFields.Get("title"), visible) with { Sizes = MapColouring.SizesBy(points, MapFields.Get("loss")) }),
            out var style);
        if (points.Count != size)
        {
            throw new InvalidOperationException($"read {points.Count} points, wrote {size}");
        }
        return new Measurement(size, firstQuery, query, pointsTime, payload.ByteSize, recolour, style.ByteSize);
    }

    private static double Best<T>(Func<T> work, out T result)
    {
        result = work();
        var best = double.MaxValue;
        for (var i = 0; i < Repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            result = work();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
