using System.Globalization;
using System.Text;
using SquadAlbert.Analysis;
using SquadAlbert.Analysis.Review;
using SquadAlbert.Dashboard.Features.Datasets;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Features.Review;

/// <summary>Downloads of a run's review: the corrected SQuAD file and the decisions as CSV or JSON (attachments).</summary>
public static class ReviewExportEndpoints
{
    public static string Squad(long runId, bool removeFlagged) =>
        string.Create(CultureInfo.InvariantCulture, $"/runs/{runId}/export/squad?removeFlagged={(removeFlagged ? "true" : "false")}");

    public static string DecisionsCsv(long runId) => string.Create(CultureInfo.InvariantCulture, $"/runs/{runId}/export/decisions.csv");

    public static string DecisionsJson(long runId) => string.Create(CultureInfo.InvariantCulture, $"/runs/{runId}/export/decisions.json");

    public static IEndpointRouteBuilder MapReviewExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runs/{runId:long}/export/squad", (long runId, bool? removeFlagged, RunDatabase database, ReviewStore store, DatasetCatalog catalog,
            RunSampleReader samples) =>
            Guarded(() =>
            {
                var run = database.Runs.Find(runId) ?? throw new KeyNotFoundException($"Run {runId} does not exist.");
                var files = CorrectedSquadExporter.ParseDataFiles(run.DataFiles, runId).Select(f => Locate(f, catalog)).ToList();
                if (RunDataCheck.Changed(runId, samples.All(runId), files) is { } changed)
                {
                    // The review was made on the stored text; applied by id to edited text it would be silently wrong.
                    return Results.Problem(changed, statusCode: StatusCodes.Status409Conflict, title: "The run's data files changed");
                }
                var export = CorrectedSquadExporter.Export(files, store.Decisions(runId), removeFlagged ?? false);
                var suffix = removeFlagged == true ? "-without-flagged" : "";
                return Results.File(export.ToUtf8Bytes(), "application/json", string.Create(CultureInfo.InvariantCulture, $"run-{runId}-corrected-squad{suffix}.json"));
            }));
        endpoints.MapGet("/runs/{runId:long}/export/decisions.csv", (long runId, ReviewStore store) =>
            Guarded(() => Results.File(Encoding.UTF8.GetBytes(DecisionExport.ToCsv(store.Decisions(runId))), "text/csv; charset=utf-8",
                string.Create(CultureInfo.InvariantCulture, $"run-{runId}-review-decisions.csv"))));
        endpoints.MapGet("/runs/{runId:long}/export/decisions.json", (long runId, ReviewStore store) =>
            Guarded(() => Results.File(Encoding.UTF8.GetBytes(DecisionExport.ToJson(store.Decisions(runId))), "application/json",
                string.Create(CultureInfo.InvariantCulture, $"run-{runId}-review-decisions.json"))));
        return endpoints;
    }

    /// <summary>A recorded data file as given to the CLI; when it is not found from here, the file of that name in the
    /// dashboard's data folder.</summary>
    private static string Locate(string recorded, DatasetCatalog catalog)
    {
        if (File.Exists(recorded))
        {
            return recorded;
        }
        var inDataFolder = Path.Combine(catalog.DataDirectory.Path, Path.GetFileName(recorded));
        return File.Exists(inDataFolder) ? inDataFolder : recorded;
    }

    private static IResult Guarded(Func<IResult> export)
    {
        try
        {
            return export();
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(e.Message);
        }
        catch (InputException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The export could not be written");
        }
    }
}
