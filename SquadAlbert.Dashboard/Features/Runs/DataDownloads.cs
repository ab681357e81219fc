using System.Globalization;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Dashboard.Features.Runs;

public enum DataDownloadStatus
{
    Running,
    Succeeded,
    Cancelled,
    Failed,
}

/// <summary>What the first-start card shows of a download at one moment; immutable, so the UI thread reads it safely.</summary>
/// <param name="Message">How it ended: the downloader's own line (size and sha256 checked), or why it failed.</param>
public sealed record DataDownloadSnapshot(SquadOfficialFile File, string Folder, DataDownloadStatus Status, long BytesReceived, string? Message)
{
    public bool IsRunning => Status == DataDownloadStatus.Running;

    public double Percent => Math.Round(100.0 * BytesReceived / File.Length, 1);

    public string SizeText => string.Create(CultureInfo.InvariantCulture, $"{BytesReceived / 1e6:F1} of {File.Length / 1e6:F1} MB");
}

/// <summary>
/// Downloads the official SQuAD files for the dashboard with <see cref="SquadDownloader"/> (the CLI's
/// <c>squad-albert download</c>): one at a time, in the background, cancellable; size and sha256 are checked before the
/// file takes its place, so a failed or cancelled download leaves the data folder as it was. Pages subscribe to
/// <see cref="Changed"/> and read <see cref="Current"/>.
/// </summary>
public sealed class DataDownloads(IHttpClientFactory clients, ILogger<DataDownloads> logger) : IDisposable
{
    /// <summary>The name of the <see cref="HttpClient"/> it asks <see cref="IHttpClientFactory"/> for.</summary>
    public const string HttpClientName = "squad-download";

    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private DataDownloadSnapshot? _current;

    /// <summary>Raised on every progress report and state change, on the download's thread.</summary>
    public event Action? Changed;

    /// <summary>The running download, or the last one with how it ended; null before the first.</summary>
    public DataDownloadSnapshot? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Starts downloading <paramref name="file"/> into <paramref name="folder"/>; the task ends with the download.</summary>
    /// <exception cref="InvalidOperationException">A download is already running.</exception>
    public Task Start(SquadOfficialFile file, string folder)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (_current is { IsRunning: true })
            {
                throw new InvalidOperationException($"{_current.File.FileName} is still downloading; wait for it or cancel it first.");
            }
            _cancel?.Dispose();
            _cancel = cancel = new CancellationTokenSource();
            _current = new DataDownloadSnapshot(file, folder, DataDownloadStatus.Running, 0, null);
        }
        Changed?.Invoke();
        return Task.Run(() => RunAsync(file, folder, cancel.Token), CancellationToken.None);
    }

    /// <summary>Stops the running download; nothing it fetched is kept.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancel?.Cancel();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _cancel?.Cancel();
            _cancel?.Dispose();
            _cancel = null;
        }
    }

    private async Task RunAsync(SquadOfficialFile file, string folder, CancellationToken cancellation)
    {
        DataDownloadStatus status;
        string message;
        try
        {
            using var http = clients.CreateClient(HttpClientName);
            var result = await new SquadDownloader(http).DownloadAsync(file, folder, new Reporter(this), cancellation);
            (status, message) = result.Status == DownloadStatus.Failed
                ? (DataDownloadStatus.Failed, $"{result.Message}. On a machine without internet, copy {file.FileName} into {folder} by hand, or point the data setting at a folder that has it.")
                : (DataDownloadStatus.Succeeded, result.Message);
        }
        catch (OperationCanceledException)
        {
            (status, message) = (DataDownloadStatus.Cancelled, $"Cancelled: nothing was written to {folder}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            logger.LogWarning(e, "Downloading {File} into {Folder} failed", file.FileName, folder);
            (status, message) = (DataDownloadStatus.Failed, $"{file.FileName}: {e.Message}");
        }
        Update(s => s with { Status = status, Message = message });
    }

    private void Update(Func<DataDownloadSnapshot, DataDownloadSnapshot> change)
    {
        lock (_gate)
        {
            _current = change(_current!);
        }
        Changed?.Invoke();
    }

    /// <summary>Reports straight from the download's thread: <see cref="Progress{T}"/> would post to a context we do not have.</summary>
    private sealed class Reporter(DataDownloads owner) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => owner.Update(s => s with { BytesReceived = value.BytesReceived });
    }
}
