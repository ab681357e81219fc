using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using SquadAlbert.Analysis.Data;
using SquadAlbert.Analysis.Tests;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

/// <summary>The first-start card's download of dev-v1.1.json, served by a fake network: the real (official) dev file,
/// an unreachable host, and a body that never ends until cancelled.</summary>
public sealed class DataDownloadsTests : IDisposable
{
    private readonly RunsWorkspace _workspace = new();

    public DataDownloadsTests() => File.Delete(DevInDataFolder);

    public void Dispose() => _workspace.Dispose();

    private string DevInDataFolder => Path.Combine(_workspace.DataFolder, SquadFiles.DevV11);

    [Fact]
    public async Task Without_dev_data_the_card_downloads_it_and_then_offers_the_first_run()
    {
        using var downloads = new DataDownloads(new FakeClients(new ServeBytes(File.ReadAllBytes(TestPaths.DevV11))), NullLogger<DataDownloads>.Instance);
        await using var ctx = NewContext(downloads);
        var page = ctx.Render<RunsPage>();
        Assert.Equal("missingdata", page.Find("[data-testid=first-start]").GetAttribute("data-kind"));
        Assert.Contains("dev-v1.1.json (4.9 MB)", page.Find("[data-testid=download-button]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=download-button]").Click();

        await page.WaitForAssertionAsync(() => Assert.Equal("ready", page.Find("[data-testid=first-start]").GetAttribute("data-kind")), TimeSpan.FromMinutes(1));
        Assert.Equal(DataDownloadStatus.Succeeded, downloads.Current!.Status);
        Assert.Contains("sha256 verified", downloads.Current.Message, StringComparison.Ordinal);
        Assert.Equal(await SquadDownloader.Sha256Async(TestPaths.DevV11), await SquadDownloader.Sha256Async(DevInDataFolder));
        Assert.NotEmpty(page.FindAll("[data-testid=first-start-button]"));
    }

    [Fact]
    public async Task Offline_the_card_says_so_keeps_the_manual_instructions_and_writes_nothing()
    {
        using var downloads = new DataDownloads(new FakeClients(new Unreachable()), NullLogger<DataDownloads>.Instance);
        await using var ctx = NewContext(downloads);
        var page = ctx.Render<RunsPage>();

        page.Find("[data-testid=download-button]").Click();

        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("[data-testid=download-result]")), TimeSpan.FromMinutes(1));
        var result = page.Find("[data-testid=download-result]").TextContent;
        Assert.Contains("could not reach https://rajpurkar.github.io", result, StringComparison.Ordinal);
        Assert.Contains($"copy dev-v1.1.json into {_workspace.DataFolder} by hand", result, StringComparison.Ordinal);
        Assert.Contains("squad-albert download", page.Find("[data-testid=first-start-problem]").TextContent, StringComparison.Ordinal);
        Assert.Equal("missingdata", page.Find("[data-testid=first-start]").GetAttribute("data-kind"));
        Assert.NotEmpty(page.FindAll("[data-testid=download-button]"));
        Assert.Empty(Directory.GetFiles(_workspace.DataFolder));
    }

    [Fact]
    public async Task A_download_in_progress_shows_its_size_and_cancel_leaves_the_folder_as_it_was()
    {
        using var downloads = new DataDownloads(new FakeClients(new EndlessBody()), NullLogger<DataDownloads>.Instance);
        await using var ctx = NewContext(downloads);
        var page = ctx.Render<RunsPage>();

        page.Find("[data-testid=download-button]").Click();
        await page.WaitForAssertionAsync(() => Assert.Contains("dev-v1.1.json: 1.", page.Find("[data-testid=download-progress]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromMinutes(1));
        Assert.Contains("of 4.9 MB", page.Find("[data-testid=download-progress]").TextContent, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => { _ = downloads.Start(SquadFiles.OfficialDevV11, _workspace.DataFolder); });
        page.Find("[data-testid=download-cancel]").Click();

        await page.WaitForAssertionAsync(() => Assert.Contains("Cancelled", page.Find("[data-testid=download-result]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromMinutes(1));
        Assert.Equal(DataDownloadStatus.Cancelled, downloads.Current!.Status);
        Assert.Empty(Directory.GetFiles(_workspace.DataFolder));
    }

    private BunitContext NewContext(DataDownloads downloads)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(_workspace.Catalog);
        ctx.Services.AddSingleton(_workspace.Database);
        ctx.Services.AddSingleton(_workspace.Model);
        ctx.Services.AddSingleton(_workspace.Jobs);
        ctx.Services.AddSingleton(downloads);
        ctx.Render<MudPopoverProvider>();
        ctx.Render<MudSnackbarProvider>();
        return ctx;
    }

    private sealed class FakeClients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class ServeBytes(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class Unreachable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Name or service not known (rajpurkar.github.io:443)");
    }

    /// <summary>Sends 1.5 MB at once, then waits for more that never comes until the reader cancels.</summary>
    private sealed class EndlessBody : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(1_500_000)) });
    }

    private sealed class StallingStream(long available) : Stream
    {
        private long _left = available;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var count = (int)Math.Min(buffer.Length, _left);
            buffer.Span[..count].Fill((byte)' ');
            _left -= count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
