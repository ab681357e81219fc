using System.Security.Cryptography;

namespace SquadAlbert.Analysis.Data;

public sealed record DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);

public enum DownloadStatus
{
    /// <summary>The file was already there with the right hash; nothing was fetched.</summary>
    AlreadyPresent,

    /// <summary>Fetched, verified and moved into place.</summary>
    Downloaded,

    /// <summary>The fetch failed or did not verify; whatever was in place before is untouched.</summary>
    Failed,
}

public sealed record DownloadResult(SquadOfficialFile File, string Path, DownloadStatus Status, string Message);

/// <summary>
/// Fetches official SQuAD files into the data folder. The body goes to a temporary file beside the target and
/// replaces it by rename only once size and sha256 match, so an interrupted or corrupted download never
/// clobbers a file already there.
/// </summary>
public sealed class SquadDownloader(HttpClient http)
{
    private const int BufferSize = 1 << 16;
    private const long ProgressStep = 1 << 20;

    public async Task<DownloadResult> DownloadAsync(SquadOfficialFile file, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, file.FileName);
        var replacing = false;
        if (File.Exists(target))
        {
            if (await IsOfficialAsync(target, file, cancellationToken))
            {
                return new DownloadResult(file, target, DownloadStatus.AlreadyPresent, $"{file.FileName}: already present, sha256 verified");
            }
            replacing = true;
        }

        var temporary = Path.Combine(directory, $".{file.FileName}.{Guid.NewGuid():N}.part");
        try
        {
            var (length, hash, error) = await FetchAsync(file, temporary, progress, cancellationToken);
            var kept = replacing ? $"; the existing '{target}' was left as it was" : "";
            if (error is not null)
            {
                return new DownloadResult(file, target, DownloadStatus.Failed, $"{file.FileName}: {error}{kept}");
            }
            if (length != file.Length || !string.Equals(hash, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return new DownloadResult(file, target, DownloadStatus.Failed,
                    $"{file.FileName}: the download from {file.Url} is {length:N0} bytes with sha256 {hash}, expected {file.Length:N0} bytes with sha256 {file.Sha256}; rejected{kept}");
            }
            File.Move(temporary, target, overwrite: true);
            var how = replacing ? "replaced a file whose sha256 did not match the official one" : "downloaded";
            return new DownloadResult(file, target, DownloadStatus.Downloaded, $"{file.FileName}: {how}, {length:N0} bytes, sha256 verified");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Lower-case hex sha256 of a file.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static async Task<bool> IsOfficialAsync(string path, SquadOfficialFile file, CancellationToken cancellationToken) =>
        new FileInfo(path).Length == file.Length
        && string.Equals(await Sha256Async(path, cancellationToken), file.Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams the body into <paramref name="temporary"/>; an error message instead of throwing for HTTP failures.</summary>
    private async Task<(long Length, string Hash, string? Error)> FetchAsync(SquadOfficialFile file, string temporary, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return (0, "", $"could not reach {file.Url}: {ex.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return (0, "", $"{file.Url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var total = response.Content.Headers.ContentLength ?? file.Length;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            long received = 0;
            long nextReport = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received += read;
                if (received > file.Length)
                {
                    // A body longer than the official file cannot verify; stop instead of filling the disk.
                    return (received, "", $"the download from {file.Url} is longer than the official {file.Length:N0} bytes; rejected");
                }
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (received >= nextReport)
                {
                    progress?.Report(new DownloadProgress(file.FileName, received, total));
                    nextReport = received + ProgressStep;
                }
            }
            progress?.Report(new DownloadProgress(file.FileName, received, total));
            return (received, Convert.ToHexStringLower(hash.GetHashAndReset()), null);
        }
    }
}
