using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SquadAlbert.Analysis.Tests;

namespace SquadAlbert.Dashboard.BrowserTests;

/// <summary>
/// Starts the dashboard exactly as the README says (<c>dotnet run -c Release --project SquadAlbert.Dashboard</c>, on a free
/// loopback port, reading the shared SQuAD folder) and a headless Debian Chromium driven by Playwright.
/// Playwright never downloads a browser here: it is pointed at <c>/usr/bin/chromium</c>.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly StringBuilder _log = new();
    private Process? _process;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The small analysed run (tiny random model on two dev articles) the server shows.</summary>
    public PreparedRun Run { get; private set; } = default!;

    /// <summary>Where journeys save screenshots when <c>SQUADALBERT_SCREENSHOTS</c> names a folder (docs/ is refreshed that way).</summary>
    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable("SQUADALBERT_SCREENSHOTS") is { Length: > 0 } dir ? dir : null;

    public string ServerLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        }
        Run = await Task.Run(PreparedRun.Create);
        StartServer();
        await WaitUntilServingAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine has no network: keep Chromium from trying to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (Run is not null && Directory.Exists(Run.Folder))
        {
            Directory.Delete(Run.Folder, recursive: true);
        }
    }

    /// <summary>A fresh page that records every request leaving the machine's loopback.</summary>
    public async Task<(IPage Page, List<string> ExternalRequests)> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(BaseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (external)
                {
                    external.Add(request.Url);
                }
            }
        };
        return (page, external);
    }

    private void StartServer()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "-c", "Release", "--project", "SquadAlbert.Dashboard", "--", "--urls", BaseAddress.GetLeftPart(UriPartial.Authority) })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["SQUADALBERT_DATA"] = TestPaths.SquadDir;
        start.Environment["SQUADALBERT_DB"] = Run.DatabasePath;
        start.Environment["SQUADALBERT_MODEL"] = Run.ModelFolder;
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The dashboard exited with code {_process.ExitCode}:\n{ServerLog}");
            }
            try
            {
                using var response = await http.GetAsync(BaseAddress);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The dashboard did not answer on {BaseAddress} within {StartTimeout}:\n{ServerLog}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardGroup : ICollectionFixture<DashboardServer>
{
    public const string Name = "dashboard";
}
