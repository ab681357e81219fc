using System.Globalization;

namespace SquadAlbert.Dashboard.Features.Runs;

/// <summary>Every bookmarkable address of the dashboard's run pages, built in one place so links never drift from routes.</summary>
public static class RunRoutes
{
    public const string List = "/runs";

    public static string Compare(long runA, long runB) => Invariant($"/runs/compare?a={runA}&b={runB}");

    /// <summary>The side-by-side view of question <paramref name="questionId"/> (its SQuAD id) in runs A and B.</summary>
    public static string CompareSample(long runA, long runB, string questionId) =>
        Invariant($"/runs/compare/sample?a={runA}&b={runB}&q={Uri.EscapeDataString(questionId)}");

    public static string Map(long runId) => Invariant($"/runs/{runId}/map");

    public static string Clusters(long runId) => Invariant($"/runs/{runId}/clusters");

    public static string Cluster(long runId, string method, int cluster) => Invariant($"/runs/{runId}/clusters/{method}/{cluster}");

    public static string Sample(long runId, int sampleIndex) => Invariant($"/runs/{runId}/samples/{sampleIndex}");

    public static string Review(long runId) => Invariant($"/runs/{runId}/review");

    public static string Slices(long runId) => Invariant($"/runs/{runId}/slices");

    /// <summary>The probes page, showing the flipped samples of <paramref name="probeRunId"/> when given.</summary>
    public static string Probes(long runId, long? probeRunId = null) =>
        probeRunId is { } id ? Invariant($"/runs/{runId}/probes?probeRun={id}") : Invariant($"/runs/{runId}/probes");

    /// <summary>The map coloured by the map field <paramref name="field"/> (e.g. a probe's outcome).</summary>
    public static string MapColouredBy(long runId, string field) =>
        Invariant($"/runs/{runId}/map?{Analysis.Exploration.MapViewState.ColourKey}={Uri.EscapeDataString(field)}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The tabs of one run's pages, in display order.</summary>
public enum RunTab
{
    Map,
    Clusters,
    Slices,
    Review,
    Probes,
    Sample,
}
