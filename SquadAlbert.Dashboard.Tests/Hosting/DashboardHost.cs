using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace SquadAlbert.Dashboard.Tests.Hosting;

/// <summary>
/// The dashboard's real request pipeline in process (TestServer), reading an empty temporary data folder and database,
/// with <paramref name="extraHosts"/> as <c>SquadAlbert:AllowedHosts</c>. Clients pick the <c>Host</c> header through
/// their base address.
/// </summary>
public class DashboardHost(params string[] extraHosts) : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("squad-albert-host-").FullName;

    /// <summary>A client that sends <paramref name="baseAddress"/>'s authority as <c>Host</c>.</summary>
    public HttpClient ClientFor(string baseAddress) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new Dictionary<string, string?>
        {
            ["SquadAlbert:DataDirectory"] = _folder,
            ["SquadAlbert:Database"] = Path.Combine(_folder, "runs.db"),
            ["SquadAlbert:ModelDirectory"] = _folder,
        };
        for (var i = 0; i < extraHosts.Length; i++)
        {
            settings[$"SquadAlbert:AllowedHosts:{i}"] = extraHosts[i];
        }
        // App configuration added here comes after appsettings*.json, so it wins over the Development data folder.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        DeleteFolder();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        DeleteFolder();
        GC.SuppressFinalize(this);
    }

    private void DeleteFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
