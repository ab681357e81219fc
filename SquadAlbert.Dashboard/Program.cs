using Microsoft.Extensions.Options;
using MudBlazor.Services;
using SquadAlbert.Dashboard.Components;
using SquadAlbert.Dashboard.Features.Datasets;
using SquadAlbert.Dashboard.Features.Map;
using SquadAlbert.Dashboard.Features.Probes;
using SquadAlbert.Dashboard.Features.Review;
using SquadAlbert.Dashboard.Features.Runs;
using SquadAlbert.Dashboard.Features.Samples;
using SquadAlbert.Dashboard.Hosting;

var builder = WebApplication.CreateBuilder(args);

// A built (not published) app only serves wwwroot and package assets through the static-web-assets
// manifest, which ASP.NET reads in Development alone; users start us with `dotnet run` in any environment.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddHostAccessChecks(builder.Configuration);
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddSquadAlbertSettings(builder.Configuration);
builder.Services.AddSingleton(services => new DatasetCatalog(services.GetRequiredService<IOptions<SquadAlbertSettings>>()));
builder.Services.AddSingleton<RunDatabase>();
builder.Services.AddSingleton<ModelSetting>();
builder.Services.AddSampleReview();
builder.Services.AddSingleton(services => new MapPointCache(services.GetRequiredService<RunDatabase>(), services.GetRequiredService<ILogger<MapPointCache>>()));
builder.Services.AddSingleton<RunJobs>();
builder.Services.AddSingleton<ProbeJobs>();
builder.Services.AddHttpClient(DataDownloads.HttpClientName, client => client.Timeout = TimeSpan.FromMinutes(30));
builder.Services.AddSingleton<DataDownloads>();

var app = builder.Build();

// Before everything else: a request under a foreign host name or from a foreign page (DNS rebinding) reaches nothing.
app.UseHostAccessChecks();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapReviewExports();
app.MapWhatIfExports();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point, visible to the browser tests' host.</summary>
public partial class Program;
