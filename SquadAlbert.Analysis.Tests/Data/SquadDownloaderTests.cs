using System.Net;
using System.Security.Cryptography;
using System.Text;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public sealed class SquadDownloaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "squad-albert-download-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static SquadOfficialFile Describe(string name, byte[] content) =>
        new(name, new Uri("https://example.test/" + name), content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));

    [Fact]
    public async Task A_good_download_lands_in_place_with_progress_and_no_temporary_file_left()
    {
        var content = new byte[3 << 20];
        new Random(5).NextBytes(content);
        var file = Describe("good.json", content);
        var handler = new FakeHandler(content);
        var reports = new List<DownloadProgress>();

        var result = await new SquadDownloader(new HttpClient(handler)).DownloadAsync(file, _folder, new SyncProgress(reports.Add));

        Assert.Equal(DownloadStatus.Downloaded, result.Status);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_folder, "good.json")));
        Assert.Equal([Path.Combine(_folder, "good.json")], Directory.GetFiles(_folder));
        Assert.Equal(new Uri("https://example.test/good.json"), Assert.Single(handler.Requests));
        Assert.True(reports.Count >= 3);
        Assert.Equal(new DownloadProgress("good.json", content.Length, content.Length), reports[^1]);
    }

    [Fact]
    public async Task The_real_dev_file_verifies_against_the_official_hash()
    {
        var content = await File.ReadAllBytesAsync(TestPaths.DevV11);

        var result = await new SquadDownloader(new HttpClient(new FakeHandler(content))).DownloadAsync(SquadFiles.OfficialDevV11, _folder);

        Assert.Equal(DownloadStatus.Downloaded, result.Status);
        Assert.Equal(SquadFiles.OfficialDevV11.Sha256, await SquadDownloader.Sha256Async(result.Path));
    }

    [Fact]
    public async Task A_download_with_the_wrong_hash_is_rejected_and_the_existing_file_is_untouched()
    {
        var official = Encoding.UTF8.GetBytes("{\"data\": [], \"version\": \"1.1\"}");
        var file = Describe("dev.json", official);
        Directory.CreateDirectory(_folder);
        var target = Path.Combine(_folder, "dev.json");
        await File.WriteAllTextAsync(target, "an older, different copy");
        var tampered = (byte[])official.Clone();
        tampered[^2] ^= 1;

        var result = await new SquadDownloader(new HttpClient(new FakeHandler(tampered))).DownloadAsync(file, _folder);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains($"expected {official.Length} bytes with sha256 {file.Sha256}; rejected; the existing '{target}' was left as it was", result.Message, StringComparison.Ordinal);
        Assert.Equal("an older, different copy", await File.ReadAllTextAsync(target));
        Assert.Equal([target], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_present_file_with_the_right_hash_is_not_fetched_again()
    {
        var content = Encoding.UTF8.GetBytes("{\"data\": []}");
        var file = Describe("dev.json", content);
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "dev.json"), content);
        var handler = new FakeHandler(content);

        var result = await new SquadDownloader(new HttpClient(handler)).DownloadAsync(file, _folder);

        Assert.Equal(DownloadStatus.AlreadyPresent, result.Status);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task A_present_file_with_a_wrong_hash_is_replaced_by_a_verified_download()
    {
        var content = Encoding.UTF8.GetBytes("{\"data\": []}");
        var file = Describe("dev.json", content);
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(Path.Combine(_folder, "dev.json"), "{\"data\": [1]}");

        var result = await new SquadDownloader(new HttpClient(new FakeHandler(content))).DownloadAsync(file, _folder);

        Assert.Equal(DownloadStatus.Downloaded, result.Status);
        Assert.Contains("replaced", result.Message, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(result.Path));
    }

    [Fact]
    public async Task Http_errors_and_overlong_bodies_fail_without_leaving_files()
    {
        var content = Encoding.UTF8.GetBytes("{\"data\": []}");
        var file = Describe("dev.json", content);

        var notFound = await new SquadDownloader(new HttpClient(new FakeHandler(content, HttpStatusCode.NotFound))).DownloadAsync(file, _folder);
        var tooLong = await new SquadDownloader(new HttpClient(new FakeHandler([.. content, .. content]))).DownloadAsync(file, _folder);

        Assert.Equal(DownloadStatus.Failed, notFound.Status);
        Assert.Contains("answered HTTP 404", notFound.Message, StringComparison.Ordinal);
        Assert.Equal(DownloadStatus.Failed, tooLong.Status);
        Assert.Contains("longer than the official", tooLong.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Cancelling_stops_the_download_and_removes_the_temporary_file()
    {
        var content = new byte[1 << 20];
        var file = Describe("big.json", content);
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesReceived > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new SquadDownloader(new HttpClient(new FakeHandler(content, chunk: 4096))).DownloadAsync(file, _folder, progress, cancel.Token));

        Assert.Empty(Directory.GetFiles(_folder));
    }

    /// <summary>Serves fixed bytes, optionally in small chunks, and records each request; no network.</summary>
    private sealed class FakeHandler(byte[] body, HttpStatusCode status = HttpStatusCode.OK, int chunk = 1 << 16) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            var content = new StreamContent(new ChunkedStream(body, chunk));
            content.Headers.ContentLength = body.Length;
            return Task.FromResult(new HttpResponseMessage(status) { Content = content });
        }
    }

    /// <summary>A read-only stream that never returns more than <c>chunk</c> bytes per read, like a network body.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need reports in order, on the calling thread.</summary>
    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
