using System.Globalization;
using SquadAlbert.Analysis.WhatIf;

namespace SquadAlbert.Dashboard.Features.Samples;

/// <summary>The download of a run's what-if variants as a SQuAD file (an attachment).</summary>
public static class WhatIfExportEndpoints
{
    public static string Squad(long runId) => string.Create(CultureInfo.InvariantCulture, $"/runs/{runId}/export/whatif-variants.json");

    public static IEndpointRouteBuilder MapWhatIfExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runs/{runId:long}/export/whatif-variants.json", (long runId, WhatIfVariantStore store) =>
            Results.File(store.ExportSquad(runId), "application/json", string.Create(CultureInfo.InvariantCulture, $"run-{runId}-whatif-variants-squad.json")));
        return endpoints;
    }
}
