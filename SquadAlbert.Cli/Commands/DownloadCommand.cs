using System.CommandLine;
using System.Globalization;
using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Cli.Commands;

/// <summary><c>squad-albert download</c>: fetches the official SQuAD v1.1 files into the data folder, verified by sha256.</summary>
public static class DownloadCommand
{
    public const int DownloadFailed = 1;

    public static Command Create()
    {
        var data = DataFolderOption.Create();
        var which = new Option<string>("--files")
        {
            Description = "Which files: dev, train or all",
            DefaultValueFactory = _ => "all",
        };
        which.AcceptOnlyFromAmong("dev", "train", "all");
        var command = new Command("download", "Download the official SQuAD v1.1 train and dev files into the data folder (sha256-verified)") { data, which };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var folder = DataFolderOption.Resolve(parseResult, data);
            var files = parseResult.GetValue(which) switch
            {
                "dev" => [SquadFiles.OfficialDevV11],
                "train" => [SquadFiles.OfficialTrainV11],
                _ => SquadFiles.OfficialV11,
            };
            await output.WriteLineAsync($"data folder: {folder.Path} (from {folder.Candidates.First(c => c.Source == folder.Source).Label})");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var downloader = new SquadDownloader(http);
            var failed = false;
            foreach (var file in files)
            {
                var progress = new ConsoleProgress(error);
                var result = await downloader.DownloadAsync(file, folder.Path, progress, cancellationToken);
                progress.EndLine();
                await (result.Status == DownloadStatus.Failed ? error : output).WriteLineAsync(result.Message);
                failed |= result.Status == DownloadStatus.Failed;
            }
            return failed ? DownloadFailed : 0;
        });
        return command;
    }

    /// <summary>Rewrites one status line on stderr; reports arrive at most once per megabyte.</summary>
    private sealed class ConsoleProgress(TextWriter error) : IProgress<DownloadProgress>
    {
        private bool _wrote;

        public void Report(DownloadProgress value)
        {
            var percent = value.TotalBytes is > 0 and { } total ? string.Create(CultureInfo.InvariantCulture, $" {100.0 * value.BytesReceived / total:F0}%") : "";
            error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{value.FileName}: {value.BytesReceived / 1e6:F1} MB{percent}   "));
            _wrote = true;
        }

        public void EndLine()
        {
            if (_wrote)
            {
                error.WriteLine();
            }
        }
    }
}
